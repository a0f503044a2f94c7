import { type ReplayGuard, WebhookVerificationError } from '@handoff/core';

/** Throws `replayed_delivery` when `deliveryId` was already received within `ttlMs`. */
export async function refuseReplayedDelivery(
  guard: ReplayGuard,
  options: { provider: string; deliveryId: string; ttlMs: number },
): Promise<void> {
  if (await guard.firstSeen(`${options.provider}:delivery:${options.deliveryId}`, options.ttlMs)) return;
  throw new WebhookVerificationError({
    reason: 'replayed_delivery',
    message: `delivery ${options.deliveryId} was already received`,
    provider: options.provider,
  });
}

/** Parses a verified webhook body; a body that is not JSON is `malformed_body`. */
export function parseWebhookJson(body: string | Uint8Array, provider: string): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
  } catch (error) {
    throw new WebhookVerificationError({
      reason: 'malformed_body',
      message: 'the body is not JSON',
      provider,
      cause: error,
    });
  }
}

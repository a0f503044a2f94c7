import { randomUUID } from 'node:crypto';
import { createWebhookSender, signTimestampedBody, type WebhookListener } from '@handoff/http';

export type { WebhookListener };

export interface WebhookDeliverySettings {
  /** The signing secret (read at delivery time: it can be rotated). */
  secret: () => string;
  /** The target URL (`webhook_url`, `outgoing_url`), if any. */
  url: () => string | undefined;
  sign: boolean;
  now: () => Date;
  /** The URL refused (non-2xx, timeout, network) a delivery, after any retries. */
  onFailed: (failure: { payload: unknown; messageId: number | undefined; error: string }) => void;
  /**
   * Tries again on these statuses (agent bots: 429 and 500, 3 attempts 3 s apart; notes §3.2).
   * Default: tried once.
   */
  retry?: { attempts: number; delayMs: number; statuses: readonly number[] };
}

/** Chatwoot's webhook timeout (`WEBHOOK_TIMEOUT`, notes §3.2). */
const deliveryTimeoutMs = 5_000;

/**
 * Delivers webhooks the way Chatwoot's WebhookJob does (notes §3.2–3.3): after the API answer,
 * POST with a fresh `X-Chatwoot-Delivery`, signed over "<timestamp>.<body>" when signing is on.
 * Listeners see the same delivery as the URL; deliveries go out one at a time, in the order the
 * changes happened.
 */
export function createWebhookDelivery(settings: WebhookDeliverySettings) {
  const sender = createWebhookSender<{ messageId?: number }>({
    headersFor(body) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-chatwoot-delivery': randomUUID(),
      };
      if (settings.sign) {
        const timestamp = Math.floor(settings.now().getTime() / 1000);
        headers['x-chatwoot-timestamp'] = String(timestamp);
        headers['x-chatwoot-signature'] = signTimestampedBody({ secret: settings.secret(), timestamp, body });
      }
      return headers;
    },
    url: settings.url,
    timeoutMs: deliveryTimeoutMs,
    ...(settings.retry === undefined ? {} : { retry: settings.retry }),
    onFailed: ({ payload, context, error }) =>
      settings.onFailed({ payload, messageId: context?.messageId, error }),
  });
  return {
    /** Queues a webhook; `messageId` for message events (a refused delivery marks it failed). */
    emit(payload: unknown, options: { messageId?: number } = {}): void {
      sender.emit(payload, options);
    },
    subscribe: sender.subscribe,
    idle: sender.idle,
    stop: sender.stop,
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;

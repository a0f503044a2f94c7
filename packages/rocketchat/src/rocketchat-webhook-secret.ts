import { createHash, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from '@handoff/core';
import { type HeaderBag, readHeader } from '@handoff/http';

/** The header Rocket.Chat sends the Livechat secret token in (lib/webhooks.ts, `sendRequest`). */
export const rocketChatWebhookSecretHeader = 'x-rocketchat-livechat-token';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Refuses a Livechat webhook whose `X-RocketChat-Livechat-Token` is missing or is not the secret,
 * compared in constant time (digests of equal length, whatever length was sent). Rocket.Chat signs
 * nothing: the token proves the sender knows the secret, not that the body is unchanged or fresh.
 */
export function verifyLivechatToken(headers: HeaderBag, secret: string, provider: string): void {
  const received = readHeader(headers, rocketChatWebhookSecretHeader);
  if (received === undefined || received === '') {
    throw new WebhookVerificationError({
      reason: 'missing_signature',
      message: `the webhook has no ${rocketChatWebhookSecretHeader} header`,
      provider,
    });
  }
  if (!timingSafeEqual(digest(secret), digest(received))) {
    throw new WebhookVerificationError({
      reason: 'invalid_signature',
      message: `the webhook's ${rocketChatWebhookSecretHeader} is not the Livechat secret token`,
      provider,
    });
  }
}

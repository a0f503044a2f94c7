// Registering the account webhook the adapter needs, once per URL: created, or found and completed.

import {
  isSupportError,
  type RegisteredWebhook,
  type RegisterWebhookOptions,
  SupportError,
} from '@handoff/core';
import type { ChatwootClient } from './chatwoot-client.js';
import { type ChatwootWebhook, webhookResponseSchema } from './chatwoot-responses.js';
import { listAccountWebhooks } from './chatwoot-webhook-list.js';

/**
 * The account webhook events the adapter turns into events (`webhook/chatwoot-webhook-events.ts`):
 * agent messages and notes, the close (status change, or the update that says it), assignments and
 * typing. `message_updated` and `conversation_created` never become events, so they are not asked for.
 */
export const chatwootWebhookSubscriptions = [
  'message_created',
  'conversation_status_changed',
  'conversation_updated',
  'conversation_typing_on',
  'conversation_typing_off',
] as const;

/** The name the webhook is shown under in Chatwoot's settings (`webhooks.name`). */
const webhookName = 'Handoff';

const operation = 'registerWebhook';

/**
 * Webhooks are administrators' only (`WebhookPolicy`: index, create and update require
 * `administrator?`): an agent's token gets 401 "You are not authorized to do this action". Said
 * so, under the same code (`unauthorized`, not retryable).
 */
function administratorsOnly(error: unknown): unknown {
  if (!isSupportError(error) || error.code !== 'unauthorized' || error.status !== 401) return error;
  const body = error.vendorBody as { error?: unknown } | undefined;
  if (typeof body?.error !== 'string' || !/not authorized to do this action/i.test(body.error)) return error;
  return new SupportError({
    code: 'unauthorized',
    message:
      "chatwoot registerWebhook failed: HTTP 401 (webhooks need an administrator's access token as userToken)",
    status: error.status,
    vendorBody: error.vendorBody,
    provider: 'chatwoot',
    operation,
    cause: error,
  });
}

const registered = (webhook: ChatwootWebhook, created: boolean): RegisteredWebhook => ({
  id: String(webhook.id),
  ...(typeof webhook.secret === 'string' && webhook.secret !== '' ? { secret: webhook.secret } : {}),
  created,
});

/**
 * `registerWebhook` for Chatwoot's account webhooks (`Api::V1::Accounts::WebhooksController`):
 * lists them (`GET /webhooks`), and reuses the one with the same URL (Chatwoot keeps one per URL
 * and account: `validates :url, uniqueness`), adding any subscription it lacks with `PATCH
 * /webhooks/{id}`; otherwise creates it (`POST /webhooks`). Chatwoot signs the deliveries with the
 * webhook's `secret` (4.11.2+, `lib/webhooks/trigger.rb`), which every answer carries; it is
 * returned for the adapter's `webhookSecret`. Account webhooks get the events of every inbox (the
 * adapter drops other inboxes' events).
 */
export function createChatwootWebhookRegistration(client: ChatwootClient) {
  const list = (signal: AbortSignal | undefined) => listAccountWebhooks(client, operation, signal);

  const reuse = async (webhook: ChatwootWebhook, url: string, signal: AbortSignal | undefined) => {
    const subscribed = webhook.subscriptions ?? [];
    const missing = chatwootWebhookSubscriptions.filter((event) => !subscribed.includes(event));
    if (missing.length === 0) return registered(webhook, false);
    const { payload } = await client.call({
      operation,
      method: 'PATCH',
      path: `/webhooks/${webhook.id}`,
      json: { url, subscriptions: [...subscribed, ...missing] },
      token: 'user',
      schema: webhookResponseSchema,
      signal,
    });
    return registered(payload.webhook, false);
  };

  return async ({ url, signal }: RegisterWebhookOptions): Promise<RegisteredWebhook> => {
    try {
      const existing = (await list(signal)).find((webhook) => webhook.url === url);
      if (existing !== undefined) return await reuse(existing, url, signal);
      try {
        const { payload } = await client.call({
          operation,
          method: 'POST',
          path: '/webhooks',
          json: { url, name: webhookName, subscriptions: [...chatwootWebhookSubscriptions] },
          token: 'user',
          schema: webhookResponseSchema,
          signal,
        });
        return registered(payload.webhook, true);
      } catch (error) {
        // 422 "Url has already been taken": another caller registered it meanwhile.
        if (!(isSupportError(error) && error.code === 'conflict')) throw error;
        const raced = (await list(signal)).find((webhook) => webhook.url === url);
        if (raced === undefined) throw error;
        return await reuse(raced, url, signal);
      }
    } catch (error) {
      throw administratorsOnly(error);
    }
  };
}

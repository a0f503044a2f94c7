// The account's webhooks, as the webhook registration and the provisioner's clean-up read them.

import type { ChatwootClient } from './chatwoot-client.js';
import { type ChatwootWebhook, webhookListResponseSchema } from './chatwoot-responses.js';

/** `GET /webhooks` (`webhooks#index`, administrators) with the user token: `payload.webhooks`. */
export async function listAccountWebhooks(
  client: ChatwootClient,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<ChatwootWebhook[]> {
  const { payload } = await client.call({
    operation,
    method: 'GET',
    path: '/webhooks',
    token: 'user',
    schema: webhookListResponseSchema,
    signal,
  });
  return payload.webhooks;
}

// Step 5: the one webhook that delivers the chatbot's events: the account webhook, or none (the inbox's).

import { listAccountWebhooks } from '../chatwoot-webhook-list.js';
import { createChatwootWebhookRegistration } from '../chatwoot-webhook-registration.js';
import type { AccountApplicationClient } from './account-application-client.js';

/** `GET webhooks`, then `DELETE webhooks/{id}` (`head :ok`) for each one to one of `urls`; how many went. */
export async function removeAccountWebhooks(
  application: AccountApplicationClient,
  urls: ReadonlySet<string>,
  operation: string,
  signal: AbortSignal | undefined,
) {
  const webhooks = await listAccountWebhooks(application.client, operation, signal);
  let removed = 0;
  for (const webhook of webhooks.filter((candidate) => urls.has(candidate.url))) {
    const gone = await application.sendWithoutAnswer({
      operation,
      method: 'DELETE',
      path: `/webhooks/${webhook.id}`,
      signal,
    });
    if (gone) removed += 1;
  }
  return removed;
}

/**
 * `account` delivery: the account webhook to the chatbot's URL, through the adapter's own
 * registration (one per URL, found by it, its subscriptions completed; its `secret` returned).
 * `inbox` delivery: any account webhook to that URL is removed, since the inbox's `webhook_url`
 * gets the same events (`WebhookListener#deliver_webhook_payloads` sends to both).
 */
export async function ensureChatbotWebhook(
  application: AccountApplicationClient,
  options: {
    delivery: 'account' | 'inbox';
    webhookUrl: string;
    operation: string;
    signal?: AbortSignal | undefined;
  },
) {
  if (options.delivery === 'account') {
    const registered = await createChatwootWebhookRegistration(application.client)({
      url: options.webhookUrl,
      signal: options.signal,
    });
    return { ...registered, removed: 0 };
  }
  const removed = await removeAccountWebhooks(
    application,
    new Set([options.webhookUrl]),
    options.operation,
    options.signal,
  );
  return { id: undefined, secret: undefined, created: false, removed };
}

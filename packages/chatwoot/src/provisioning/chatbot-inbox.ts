// Step 4: the chatbot's API inbox, found by its tag (or its name) or created, its webhook_url as asked.

import type { ChatwootClient } from '../chatwoot-client.js';
import {
  type ApplicationInbox,
  applicationInboxListSchema,
  applicationInboxSchema,
} from './platform-responses.js';
import { chatbotTag, organizationTag, tagOf, webhookUrlTag } from './provisioning-tags.js';

const apiChannel = 'Channel::Api';

export interface ChatbotInboxOptions {
  organizationId: string;
  chatbotId: string;
  inboxName: string;
  webhookUrl: string;
  /** Whether the inbox's own `webhook_url` delivers (else it is left empty). */
  inboxDelivers: boolean;
  operation: string;
  signal?: AbortSignal | undefined;
}

/** Every API inbox of the account (`GET inboxes`; an administrator sees them all). */
export async function listApiInboxes(
  client: ChatwootClient,
  operation: string,
  signal: AbortSignal | undefined,
) {
  const { payload } = await client.call({
    operation,
    method: 'GET',
    path: '/inboxes',
    token: 'user',
    schema: applicationInboxListSchema,
    signal,
  });
  return payload.filter((inbox) => inbox.channel_type === apiChannel);
}

/**
 * Changes the API channel (`PATCH inboxes/{id} {channel: {...}}`, `Channel::Api::EDITABLE_ATTRS`):
 * an empty `webhook_url` stops the inbox's deliveries; `additional_attributes` is replaced whole.
 */
export async function updateApiChannel(
  client: ChatwootClient,
  inboxId: number,
  channel: { webhook_url?: string; additional_attributes?: Record<string, unknown> },
  operation: string,
  signal: AbortSignal | undefined,
) {
  return client.call({
    operation,
    method: 'PATCH',
    path: `/inboxes/${inboxId}`,
    json: { channel },
    token: 'user',
    schema: applicationInboxSchema,
    signal,
  });
}

/** The chatbot's inbox: tagged with its id, else named as provisioning names it and tagged for no other chatbot. */
export function findChatbotInbox(
  inboxes: readonly ApplicationInbox[],
  chatbot: { chatbotId: string; inboxName: string },
): ApplicationInbox | undefined {
  return (
    inboxes.find((inbox) => tagOf(inbox.additional_attributes, chatbotTag) === chatbot.chatbotId) ??
    inboxes.find(
      (inbox) =>
        inbox.name === chatbot.inboxName && tagOf(inbox.additional_attributes, chatbotTag) === undefined,
    )
  );
}

/** The name a chatbot's inbox gets when it is created. */
export const inboxNameOf = (chatbot: { id: string; name?: string | undefined }) =>
  chatbot.name ?? `Handoff ${chatbot.id}`;

/**
 * The API inbox tagged with the chatbot id in its channel's `additional_attributes`, else one
 * named `inboxName` without another chatbot's tag, else `POST inboxes {name, channel: {type: api,
 * webhook_url, additional_attributes}}` (a lost answer is found by its tag next time). Its
 * `webhook_url` is then made what `inboxDelivers` asks, and its tags completed (a named inbox, or
 * a chatbot whose webhook URL changed). The answer's `secret` (an API channel's,
 * 4.13.0+, shown to administrators only) signs the inbox's deliveries.
 */
export async function ensureChatbotInbox(client: ChatwootClient, options: ChatbotInboxOptions) {
  const { operation, signal } = options;
  const wanted = options.inboxDelivers ? options.webhookUrl : '';
  const inboxes = await listApiInboxes(client, operation, signal);
  const found = findChatbotInbox(inboxes, options);
  const tags = {
    [organizationTag]: options.organizationId,
    [chatbotTag]: options.chatbotId,
    [webhookUrlTag]: options.webhookUrl,
  };
  let inbox: ApplicationInbox;
  let created = false;
  let webhookUrlChanged = false;
  if (found === undefined) {
    inbox = await client.call({
      operation,
      method: 'POST',
      path: '/inboxes',
      json: {
        name: options.inboxName,
        channel: {
          type: 'api',
          ...(options.inboxDelivers ? { webhook_url: options.webhookUrl } : {}),
          additional_attributes: tags,
        },
      },
      token: 'user',
      schema: applicationInboxSchema,
      signal,
    });
    created = true;
  } else {
    const attributes = found.additional_attributes ?? {};
    const untagged = Object.entries(tags).some(([tag, value]) => tagOf(attributes, tag) !== value);
    webhookUrlChanged = (found.webhook_url ?? '') !== wanted;
    inbox =
      untagged || webhookUrlChanged
        ? await updateApiChannel(
            client,
            found.id,
            {
              ...(webhookUrlChanged ? { webhook_url: wanted } : {}),
              ...(untagged ? { additional_attributes: { ...attributes, ...tags } } : {}),
            },
            operation,
            signal,
          )
        : found;
  }
  const secret = typeof inbox.secret === 'string' && inbox.secret !== '' ? inbox.secret : undefined;
  return { id: inbox.id, created, webhookUrlChanged, secret };
}

import type { BotHostEvent, ConversationHolder, HostContact } from '@handoff/core';
import type { SwitchboardIntegrationRef } from '../sunshine-responses.js';
import { occurredAt } from './occurred-at.js';
import {
  messagePayloadSchema,
  messageTextOf,
  switchboardPayloadSchema,
  type WebhookAuthor,
} from './sunshine-event-payloads.js';
import {
  type MappedEvent,
  noEvents,
  type SunshineWebhookEvent,
  unreadablePayload,
} from './sunshine-webhook.js';

export interface BotHostEventContext {
  /** Whether a switchboard integration is ours (the bot side). */
  isOurs: (integration: SwitchboardIntegrationRef | null | undefined) => boolean;
}

/** Reasons Zendesk gives when the Agent Workspace hands a conversation on: the ticket is over. */
const closingReasons = new Set(['ticketClosed', 'transferToEmail']);

/**
 * Who holds a conversation by its active switchboard integration: ours is the bot; anyone else
 * (the Agent Workspace, another bot) is not, and the bot stays silent; nobody means the next
 * message goes to the switchboard's default (the bot, as this mode is set up).
 */
export function holderOfActive(
  active: SwitchboardIntegrationRef | null | undefined,
  context: BotHostEventContext,
): ConversationHolder {
  if (active === null || active === undefined) return 'bot';
  return context.isOurs(active) ? 'bot' : 'human';
}

function contactOf(author: WebhookAuthor): HostContact | undefined {
  const id = author.userId ?? author.user?.id ?? undefined;
  if (id === undefined || id === '') return undefined;
  const profile = author.user?.profile;
  const fromProfile = [profile?.givenName, profile?.surname].filter(Boolean).join(' ');
  const name = author.displayName ?? (fromProfile === '' ? undefined : fromProfile);
  return {
    id,
    ...(name ? { name } : {}),
    ...(profile?.email ? { email: profile.email } : {}),
    ...(author.user?.externalId ? { identifier: author.user.externalId } : {}),
  };
}

/**
 * What one event of a delivery means for the bot (internal mode):
 * - `conversation:message` from the user → `contact.message`, held by the bot while our switchboard
 *   integration is active, by a human while another one is (a standby delivery: no answer);
 * - `switchboard:passControl` / `switchboard:acceptControl` → `conversation.holder` (bot when ours
 *   became active, human otherwise; closed when the Agent Workspace hands it on because the ticket
 *   is over);
 * - `switchboard:releaseControl` → `conversation.holder` closed (the ticket was solved: nobody
 *   holds it, the contact's next message reaches the bot).
 * Business messages (agents, other bots, our own replies) are never contact messages.
 */
export function botHostEventsOf(
  event: SunshineWebhookEvent,
  index: number,
  context: BotHostEventContext,
): MappedEvent<BotHostEvent> {
  const nothing = noEvents<BotHostEvent>();
  const unreadable = (reason: string) => unreadablePayload<BotHostEvent>(event, index, reason);
  switch (event.type) {
    case 'conversation:message': {
      const payload = messagePayloadSchema.safeParse(event.payload);
      if (!payload.success) return unreadable('not a conversation:message payload');
      const { conversation, message } = payload.data;
      if (message.author.type !== 'user') return nothing;
      const contact = contactOf(message.author);
      if (contact === undefined) return unreadable('a user message without the user id');
      const text = messageTextOf(message);
      if (text === undefined)
        return unreadable(`a ${message.content?.type ?? 'message'} without text or URL`);
      return {
        events: [
          {
            type: 'contact.message',
            id: `message:${message.id}`,
            conversationId: conversation.id,
            holder: holderOfActive(conversation.activeSwitchboardIntegration, context),
            contact,
            message: { id: message.id, text },
            ...occurredAt(message.received, event.createdAt),
          },
        ],
        unreadable: [],
      };
    }
    case 'switchboard:passControl':
    case 'switchboard:acceptControl':
    case 'switchboard:releaseControl': {
      const payload = switchboardPayloadSchema.safeParse(event.payload);
      if (!payload.success) return unreadable(`not a ${event.type} payload`);
      const { conversation, reason } = payload.data;
      const active = conversation.activeSwitchboardIntegration;
      const holder: ConversationHolder =
        event.type === 'switchboard:releaseControl' ||
        (reason !== null && reason !== undefined && closingReasons.has(reason))
          ? 'closed'
          : context.isOurs(active)
            ? 'bot'
            : active === null || active === undefined
              ? 'closed'
              : 'human';
      return {
        events: [
          { type: 'conversation.holder', id: `holder:${event.id}`, conversationId: conversation.id, holder },
        ],
        unreadable: [],
      };
    }
    default:
      return nothing;
  }
}

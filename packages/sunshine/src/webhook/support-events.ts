import type { SupportEvent } from '@handoff/core';
import { metadataKeys, ownMessageKeys } from '../sunshine-metadata.js';
import type { SwitchboardIntegrationRef } from '../sunshine-responses.js';
import { occurredAt } from './occurred-at.js';
import {
  isHumanAgentMessage,
  type MessagePayload,
  messagePayloadSchema,
  messageTextOf,
  switchboardPayloadSchema,
  typingPayloadSchema,
  zendeskAgentIdOf,
} from './sunshine-event-payloads.js';
import {
  type MappedEvent,
  noEvents,
  type SunshineWebhookEvent,
  unreadablePayload,
} from './sunshine-webhook.js';

export interface SupportEventContext {
  /** Our custom integration: messages it sent are echoes. */
  integrationId: string;
  /** Whether a switchboard integration is ours. */
  isOurs: (integration: SwitchboardIntegrationRef | null | undefined) => boolean;
}

/** Reasons Zendesk gives when the Agent Workspace hands a conversation on: the ticket is over. */
const closingReasons = new Set(['ticketClosed', 'transferToEmail']);

export const sessionIdOf = (metadata: Record<string, unknown> | null | undefined) => {
  const value = metadata?.[metadataKeys.handoffSessionId];
  return typeof value === 'string' && value !== '' ? { sessionId: value } : {};
};

/**
 * The `agent.message` of a human agent's message (author `business`, not an AI, bot or activity,
 * not one of ours): undefined for any other message, `unreadable` for one without text or URL.
 * Webhooks and catching up give the same event for the same message.
 */
export function agentMessageEvent(
  conversation: { id: string; metadata?: Record<string, unknown> | null | undefined },
  message: MessagePayload['message'],
  fallbackTime: string | null | undefined,
  context: Pick<SupportEventContext, 'integrationId'>,
): SupportEvent | 'unreadable' | undefined {
  if (!isHumanAgentMessage(message)) return undefined;
  const own =
    ownMessageKeys.some((key) => message.metadata?.[key] !== undefined) ||
    (message.source?.integrationId ?? undefined) === context.integrationId;
  if (own) return undefined;
  const text = messageTextOf(message);
  if (text === undefined) return 'unreadable';
  const agentId = zendeskAgentIdOf(message);
  return {
    type: 'agent.message',
    id: `message:${message.id}`,
    conversationId: conversation.id,
    ...sessionIdOf(conversation.metadata),
    ...occurredAt(message.received, fallbackTime),
    message: { id: message.id, text },
    agent: {
      ...(agentId === undefined ? {} : { id: agentId }),
      ...(message.author.displayName ? { name: message.author.displayName } : {}),
    },
  };
}

/**
 * What one event of a delivery means for a handed-over conversation (external mode):
 * - `conversation:message` by a human agent (author `business`, not an AI, bot or activity, and
 *   not one of ours: no `handoff_*` metadata, not sent by our integration) → `agent.message`;
 * - `conversation:typing` of a business author → `agent.typing`;
 * - `switchboard:releaseControl` not made by us, and `switchboard:passControl` with reason
 *   `ticketClosed`/`transferToEmail` (the Agent Workspace handing it on) → `conversation.closed`.
 * Every other event is not about the agents and gives nothing.
 */
export function supportEventsOf(
  event: SunshineWebhookEvent,
  index: number,
  context: SupportEventContext,
): MappedEvent<SupportEvent> {
  const unreadable = (reason: string) => unreadablePayload<SupportEvent>(event, index, reason);
  const nothing = noEvents<SupportEvent>();
  switch (event.type) {
    case 'conversation:message': {
      const payload = messagePayloadSchema.safeParse(event.payload);
      if (!payload.success) return unreadable('not a conversation:message payload');
      const { conversation, message } = payload.data;
      const built = agentMessageEvent(conversation, message, event.createdAt, context);
      if (built === 'unreadable')
        return unreadable(`a ${message.content?.type ?? 'message'} without text or URL`);
      return built === undefined ? nothing : { events: [built], unreadable: [] };
    }
    case 'conversation:typing': {
      const payload = typingPayloadSchema.safeParse(event.payload);
      if (!payload.success) return unreadable('not a conversation:typing payload');
      const { conversation, activity } = payload.data;
      if (activity.author?.type !== 'business') return nothing;
      if (activity.type !== 'typing:start' && activity.type !== 'typing:stop') return nothing;
      return {
        events: [
          {
            type: 'agent.typing',
            id: `typing:${event.id}`,
            conversationId: conversation.id,
            ...sessionIdOf(conversation.metadata),
            ...occurredAt(event.createdAt),
            typing: activity.type === 'typing:start',
            agent: activity.author.displayName ? { name: activity.author.displayName } : {},
          },
        ],
        unreadable: [],
      };
    }
    case 'switchboard:releaseControl':
    case 'switchboard:passControl': {
      const payload = switchboardPayloadSchema.safeParse(event.payload);
      if (!payload.success) return unreadable(`not a ${event.type} payload`);
      const { conversation, metadata, reason } = payload.data;
      // Our own passControl and closeSession come back too: the engine already knows.
      if (metadata?.[metadataKeys.closedBy] !== undefined || metadata?.[metadataKeys.passedBy] !== undefined)
        return nothing;
      // The Agent Workspace releases the conversation, or hands it on (to us, or with a reason
      // saying the ticket is over).
      const closing =
        event.type === 'switchboard:releaseControl' ||
        (reason !== null && reason !== undefined && closingReasons.has(reason)) ||
        context.isOurs(conversation.activeSwitchboardIntegration);
      if (!closing) return nothing;
      return {
        events: [
          {
            type: 'conversation.closed',
            // Closing is once per conversation: every report of it has the same id.
            id: `closed:${conversation.id}`,
            conversationId: conversation.id,
            ...sessionIdOf(conversation.metadata),
            ...occurredAt(event.createdAt),
            closedBy: reason === 'transferToEmail' ? 'system' : 'agent',
          },
        ],
        unreadable: [],
      };
    }
    default:
      return nothing;
  }
}

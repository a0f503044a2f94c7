import type { SupportEvent, UnreadablePart } from '@handoff/core';
import { sessionAttribute, sourceIdPrefix } from './chatwoot-markers.js';
import {
  assigneeChangeOf,
  type ConversationEventPayload,
  conversationEventSchema,
  type MessageEventPayload,
  messageEventSchema,
  statusChangeOf,
  type TypingEventPayload,
  typingEventSchema,
  unreadableFrom,
  type WebhookConversation,
} from './chatwoot-webhook-payload.js';
import { createdAt, inboxOf, readAttachments } from './webhook-fields.js';

export { handoffAttribute, sessionAttribute, sourceIdPrefix } from './chatwoot-markers.js';

export interface WebhookEventContext {
  /** The API inbox: events of other inboxes (account webhooks cover all) are ignored. */
  inboxId: number;
  /** Messages this adapter created (ids from its own create calls). */
  isOwnMessage(messageId: number): boolean;
  /** Conversations this adapter resolved itself (so the close is reported as the bot's). */
  closedByAdapter(conversationId: string): boolean;
}

/** The events of one webhook body, and the parts of it that could not be read. */
export interface ChatwootWebhookEvents {
  events: SupportEvent[];
  unreadable: UnreadablePart[];
}

function base(conversation: WebhookConversation) {
  const sessionId = conversation.custom_attributes?.[sessionAttribute];
  return {
    conversationId: String(conversation.id),
    ...(typeof sessionId === 'string' ? { sessionId } : {}),
  };
}

/**
 * The id of a conversation's close. A conversation the adapter opened ends once (the next handoff
 * opens a new one), so the id is the conversation's: the webhook that says resolved (whichever of
 * the two arrives, built whenever its job ran) and catching up give the same id.
 */
export const closedEventId = (conversationId: string) => `closed:${conversationId}`;

/**
 * Echo rules: only `message_created`, outgoing, written by a human agent (`sender.type ==
 * "user"`), and neither marked by this adapter (`source_id`) nor created by it. Incoming messages
 * are always the bot's own mirrors; agent-bot, Captain and sender-less (greeting, CSAT) messages
 * are not an agent talking to the user. A private one is the agent's note: reported as
 * `agent.note`, never shown to the user. Files without a URL are reported, the rest relayed.
 */
function messageEvents(payload: MessageEventPayload, context: WebhookEventContext): ChatwootWebhookEvents {
  const none = { events: [], unreadable: [] };
  if (payload.event !== 'message_created') return none;
  const outgoing = payload.message_type === 'outgoing' || payload.message_type === 1;
  if (!outgoing) return none;
  if (payload.sender?.type !== 'user') return none;
  if (payload.source_id?.startsWith(sourceIdPrefix) || context.isOwnMessage(payload.id)) return none;
  const occurredAt = createdAt(payload.created_at);
  const agent = {
    ...(payload.sender.id == null ? {} : { id: String(payload.sender.id) }),
    ...(payload.sender.name == null ? {} : { name: payload.sender.name }),
  };
  if (payload.private === true) {
    return {
      events: [
        {
          type: 'agent.note',
          id: `note:${payload.id}`,
          ...base(payload.conversation),
          ...(occurredAt === undefined ? {} : { occurredAt }),
          note: { id: String(payload.id), text: payload.content ?? '' },
          agent,
        },
      ],
      unreadable: [],
    };
  }
  const id = `message:${payload.id}`;
  const { attachments, unreadable } = readAttachments(payload.attachments, id);
  return {
    events: [
      {
        type: 'agent.message',
        id,
        ...base(payload.conversation),
        ...(occurredAt === undefined ? {} : { occurredAt }),
        message: {
          id: String(payload.id),
          text: payload.content ?? '',
          ...(attachments === undefined ? {} : { attachments }),
        },
        agent,
      },
    ],
    unreadable,
  };
}

/**
 * When the close happened by Chatwoot's clock: the `updated_at` of the commit in
 * `changed_attributes`, else the body's (when its job ran, so at or after the close).
 */
function closedAt(payload: ConversationEventPayload): string | undefined {
  for (const change of payload.changed_attributes ?? []) {
    const updated = change.updated_at?.current_value;
    if (typeof updated === 'string' && !Number.isNaN(Date.parse(updated)))
      return new Date(updated).toISOString();
  }
  return typeof payload.updated_at === 'number'
    ? new Date(payload.updated_at * 1000).toISOString()
    : undefined;
}

/**
 * A conversation resolved (by anyone: agents, automations, auto-resolve), or handed back by an
 * agent setting it to pending, ends the human part. Bodies are built when Chatwoot's job runs, so
 * their `status` is the state of that moment; `changed_attributes` of `conversation_updated` is
 * captured at the commit and says which change it was. Either kind of webhook can tell the close,
 * under the same id.
 */
function conversationEvents(payload: ConversationEventPayload, context: WebhookEventContext): SupportEvent[] {
  const conversationId = String(payload.id);
  const events: SupportEvent[] = [];
  const change = statusChangeOf(payload);
  const closing =
    payload.event === 'conversation_updated'
      ? change !== undefined &&
        (change.current === 'resolved' || (change.current === 'pending' && change.previous !== 'pending'))
      : payload.event === 'conversation_resolved' ||
        (payload.event === 'conversation_status_changed' &&
          (payload.status === 'resolved' || payload.status === 'pending'));
  if (closing) {
    const occurredAt = closedAt(payload);
    events.push({
      type: 'conversation.closed',
      id: closedEventId(conversationId),
      ...base(payload),
      ...(occurredAt === undefined ? {} : { occurredAt }),
      closedBy: context.closedByAdapter(conversationId) ? 'bot' : 'agent',
    });
  }
  const assigned = payload.event === 'conversation_updated' ? assigneeChangeOf(payload) : undefined;
  if (assigned !== undefined && assigned.current !== null && assigned.current !== undefined) {
    // The body's assignee is the one when the job ran: its name is used only if it is the same agent.
    const assignee = payload.meta?.assignee;
    const sameAgent = assignee != null && String(assignee.id) === String(assigned.current);
    if (!sameAgent || (assignee.type ?? 'user') === 'user') {
      const team = payload.meta?.team;
      events.push({
        type: 'agent.assigned',
        id: `assigned:${conversationId}:${String(assigned.current)}`,
        ...base(payload),
        agent: {
          id: String(assigned.current),
          ...(sameAgent && assignee.name != null ? { name: assignee.name } : {}),
        },
        ...(team == null
          ? {}
          : { team: { id: String(team.id), ...(team.name == null ? {} : { name: team.name }) } }),
      });
    }
  }
  return events;
}

function typingEvents(payload: TypingEventPayload, deliveryId: string | undefined): SupportEvent[] {
  // `is_private` is the raw parameter: a form or query string may send "true".
  const isPrivate = payload.is_private === true || payload.is_private === 'true';
  if (payload.user?.type !== 'user' || isPrivate) return [];
  const typing = payload.event === 'conversation_typing_on';
  const conversationId = String(payload.conversation.id);
  return [
    {
      type: 'agent.typing',
      id: `typing:${conversationId}:${typing ? 'on' : 'off'}:${deliveryId ?? payload.conversation.updated_at ?? ''}`,
      ...base(payload.conversation),
      typing,
      agent: {
        ...(payload.user.id == null ? {} : { id: String(payload.user.id) }),
        ...(payload.user.name == null ? {} : { name: payload.user.name }),
      },
    },
  ];
}

const messageEventNames = new Set(['message_created', 'message_updated']);
const conversationEventNames = new Set([
  'conversation_created',
  'conversation_status_changed',
  'conversation_updated',
  'conversation_opened',
  'conversation_resolved',
]);
const typingEventNames = new Set(['conversation_typing_on', 'conversation_typing_off']);

/**
 * Turns one Chatwoot webhook body (already verified and parsed as JSON), or a message read back
 * over REST, into core events. Events the adapter does not use are left out; an event it uses but
 * cannot read is reported in `unreadable` with the field named.
 */
export function chatwootWebhookEvents(
  body: unknown,
  context: WebhookEventContext,
  deliveryId?: string,
): ChatwootWebhookEvents {
  const none: ChatwootWebhookEvents = { events: [], unreadable: [] };
  if (typeof body !== 'object' || body === null) return none;
  const payload = body as Record<string, unknown>;
  const inboxId = inboxOf(payload);
  if (inboxId !== undefined && inboxId !== context.inboxId) return none;
  // The bulk of webhooks are echoes of what this adapter posted: drop them before any parsing.
  if (typeof payload.source_id === 'string' && payload.source_id.startsWith(sourceIdPrefix)) return none;
  const event = String(payload.event);
  const eventId = typeof payload.id === 'number' ? `${event}:${payload.id}` : event;
  if (messageEventNames.has(event)) {
    const message = messageEventSchema.safeParse(payload);
    return message.success
      ? messageEvents(message.data, context)
      : { events: [], unreadable: [unreadableFrom(message.error, '', eventId)] };
  }
  if (conversationEventNames.has(event)) {
    const conversation = conversationEventSchema.safeParse(payload);
    return conversation.success
      ? { events: conversationEvents(conversation.data, context), unreadable: [] }
      : { events: [], unreadable: [unreadableFrom(conversation.error, '', eventId)] };
  }
  if (typingEventNames.has(event)) {
    const typing = typingEventSchema.safeParse(payload);
    return typing.success
      ? { events: typingEvents(typing.data, deliveryId), unreadable: [] }
      : { events: [], unreadable: [unreadableFrom(typing.error, '', eventId)] };
  }
  return none;
}

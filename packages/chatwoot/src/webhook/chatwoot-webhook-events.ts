import type { Attachment, SupportEvent } from '@handoff/core';
import {
  type ConversationEventPayload,
  conversationEventSchema,
  type MessageEventPayload,
  messageEventSchema,
  type TypingEventPayload,
  typingEventSchema,
  type WebhookConversation,
} from './chatwoot-webhook-payload.js';

/** Every message the adapter posts carries this prefix in `source_id`: how echoes are recognised. */
export const sourceIdPrefix = 'handoff:';
/** Custom attribute of the conversations the adapter opens: the bot session they belong to. */
export const sessionAttribute = 'handoff_session_id';
/** Custom attribute of the conversations the adapter opens: the handoff that opened them. */
export const handoffAttribute = 'handoff_id';

export interface WebhookEventContext {
  /** The API inbox: events of other inboxes (account webhooks cover all) are ignored. */
  inboxId: number;
  /** Messages this adapter created (ids from its own create calls). */
  isOwnMessage(messageId: number): boolean;
  /** Conversations this adapter resolved itself (so the close is reported as the bot's). */
  closedByAdapter(conversationId: string): boolean;
}

function base(conversation: WebhookConversation) {
  const sessionId = conversation.custom_attributes?.[sessionAttribute];
  return {
    conversationId: String(conversation.id),
    ...(typeof sessionId === 'string' ? { sessionId } : {}),
  };
}

function fileName(url: string): string | undefined {
  try {
    const segment = new URL(url).pathname.split('/').filter(Boolean).at(-1);
    return segment === undefined ? undefined : decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function toAttachments(payload: MessageEventPayload): Attachment[] | undefined {
  if (!payload.attachments || payload.attachments.length === 0) return undefined;
  return payload.attachments.map((attachment) => {
    const name = fileName(attachment.data_url);
    return {
      url: attachment.data_url,
      contentType: attachment.content_type ?? 'application/octet-stream',
      ...(name === undefined ? {} : { name }),
      ...(attachment.file_size == null ? {} : { size: attachment.file_size }),
    };
  });
}

export function createdAt(value: MessageEventPayload['created_at']): string | undefined {
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return undefined;
}

/**
 * Echo rules (notes §3.5): only `message_created`, outgoing, written by a human agent
 * (`sender.type == "user"`), and neither marked by this adapter nor created by it. Incoming
 * messages are always the bot's own mirrors; agent-bot, Captain and sender-less (greeting, CSAT)
 * messages are not an agent talking to the user. A private one is the agent's note: reported as
 * `agent.note`, never shown to the user.
 */
function messageEvents(payload: MessageEventPayload, context: WebhookEventContext): SupportEvent[] {
  if (payload.event !== 'message_created') return [];
  const outgoing = payload.message_type === 'outgoing' || payload.message_type === 1;
  if (!outgoing) return [];
  if (payload.sender?.type !== 'user') return [];
  if (payload.source_id?.startsWith(sourceIdPrefix) || context.isOwnMessage(payload.id)) return [];
  const occurredAt = createdAt(payload.created_at);
  const agent = {
    ...(payload.sender.id === undefined ? {} : { id: String(payload.sender.id) }),
    ...(payload.sender.name == null ? {} : { name: payload.sender.name }),
  };
  if (payload.private === true) {
    return [
      {
        type: 'agent.note',
        id: `note:${payload.id}`,
        ...base(payload.conversation),
        ...(occurredAt === undefined ? {} : { occurredAt }),
        note: { id: String(payload.id), text: payload.content ?? '' },
        agent,
      },
    ];
  }
  const attachments = toAttachments(payload);
  return [
    {
      type: 'agent.message',
      id: `message:${payload.id}`,
      ...base(payload.conversation),
      ...(occurredAt === undefined ? {} : { occurredAt }),
      message: {
        id: String(payload.id),
        text: payload.content ?? '',
        ...(attachments === undefined ? {} : { attachments }),
      },
      agent,
    },
  ];
}

function statusChange(
  payload: ConversationEventPayload,
): { previous?: unknown; current: unknown } | undefined {
  for (const change of payload.changed_attributes ?? []) {
    const status = change.status;
    if (status !== undefined) return { previous: status.previous_value, current: status.current_value };
  }
  return undefined;
}

/**
 * A conversation resolved (by anyone: agents, automations, auto-resolve), or handed back by an
 * agent setting it to pending, ends the human part. `conversation_status_changed` and the
 * `conversation_updated` that comes with it give the same event id, so one of them is dropped.
 */
function conversationEvents(payload: ConversationEventPayload, context: WebhookEventContext): SupportEvent[] {
  const conversationId = String(payload.id);
  const events: SupportEvent[] = [];
  const change = statusChange(payload);
  const status =
    payload.event === 'conversation_updated'
      ? change === undefined
        ? undefined
        : payload.status
      : payload.status;
  const handedBack =
    status === 'pending' && (payload.event === 'conversation_status_changed' || change?.previous === 'open');
  if (status === 'resolved' || payload.event === 'conversation_resolved' || handedBack) {
    const bot = context.closedByAdapter(conversationId);
    events.push({
      type: 'conversation.closed',
      id: `closed:${conversationId}:${payload.updated_at ?? payload.timestamp ?? status}`,
      ...base(payload),
      closedBy: bot ? 'bot' : 'agent',
    });
  }
  if (payload.event === 'conversation_updated') {
    const assigneeChanged = (payload.changed_attributes ?? []).some(
      (entry) => entry.assignee_id !== undefined,
    );
    const assignee = payload.meta?.assignee;
    if (assigneeChanged && assignee != null && (assignee.type ?? 'user') === 'user') {
      const team = payload.meta?.team;
      events.push({
        type: 'agent.assigned',
        id: `assigned:${conversationId}:${assignee.id}`,
        ...base(payload),
        agent: { id: String(assignee.id), ...(assignee.name == null ? {} : { name: assignee.name }) },
        ...(team == null
          ? {}
          : { team: { id: String(team.id), ...(team.name == null ? {} : { name: team.name }) } }),
      });
    }
  }
  return events;
}

function typingEvents(payload: TypingEventPayload, deliveryId: string | undefined): SupportEvent[] {
  if (payload.user?.type !== 'user' || payload.is_private === true) return [];
  const typing = payload.event === 'conversation_typing_on';
  const conversationId = String(payload.conversation.id);
  return [
    {
      type: 'agent.typing',
      id: `typing:${conversationId}:${typing ? 'on' : 'off'}:${deliveryId ?? payload.conversation.updated_at ?? ''}`,
      ...base(payload.conversation),
      typing,
      agent: {
        ...(payload.user.id === undefined ? {} : { id: String(payload.user.id) }),
        ...(payload.user.name == null ? {} : { name: payload.user.name }),
      },
    },
  ];
}

export function inboxOf(payload: Record<string, unknown>): number | undefined {
  const inbox = payload.inbox as { id?: unknown } | undefined;
  if (typeof inbox?.id === 'number') return inbox.id;
  if (typeof payload.inbox_id === 'number') return payload.inbox_id;
  const conversation = payload.conversation as { inbox_id?: unknown } | undefined;
  return typeof conversation?.inbox_id === 'number' ? conversation.inbox_id : undefined;
}

/** Turns one Chatwoot webhook body (already verified and parsed as JSON) into core events. */
export function chatwootWebhookEvents(
  body: unknown,
  context: WebhookEventContext,
  deliveryId?: string,
): SupportEvent[] {
  if (typeof body !== 'object' || body === null) return [];
  const payload = body as Record<string, unknown>;
  const inboxId = inboxOf(payload);
  if (inboxId !== undefined && inboxId !== context.inboxId) return [];
  // The bulk of webhooks are echoes of what this adapter posted: drop them before any parsing.
  if (typeof payload.source_id === 'string' && payload.source_id.startsWith(sourceIdPrefix)) return [];
  const message = messageEventSchema.safeParse(payload);
  if (message.success) return messageEvents(message.data, context);
  const conversation = conversationEventSchema.safeParse(payload);
  if (conversation.success) return conversationEvents(conversation.data, context);
  const typing = typingEventSchema.safeParse(payload);
  if (typing.success) return typingEvents(typing.data, deliveryId);
  return [];
}

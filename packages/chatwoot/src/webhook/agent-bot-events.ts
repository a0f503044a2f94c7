import type { BotHostEvent, ConversationHolder, HostContact, UnreadablePart } from '@handoff/core';
import { z } from 'zod';
import { sourceIdPrefix } from './chatwoot-markers.js';
import {
  assigneeChangeOf,
  type ConversationEventPayload,
  conversationEventSchema,
  messageEventSchema,
  statusChangeOf,
  unreadableFrom,
} from './chatwoot-webhook-payload.js';
import { createdAt, inboxOf, readAttachments } from './webhook-fields.js';

/** A contact sender in message webhooks (`Contact#webhook_data`): no `type` key at all. */
const contactSenderSchema = z.object({
  id: z.union([z.number(), z.string()]),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone_number: z.string().nullish(),
  identifier: z.string().nullish(),
  type: z.string().nullish(),
});

/** Who holds a conversation, by Chatwoot status: the bot only while it is `pending` (#11429). */
export function holderOf(status: unknown): ConversationHolder {
  if (status === 'pending') return 'bot';
  if (status === 'resolved') return 'closed';
  return 'human';
}

export interface AgentBotEventContext {
  /** Only these inboxes are answered; undefined: every inbox the bot is attached to. */
  inboxIds: readonly number[] | undefined;
}

/** The events of one bot webhook body, the parts that could not be read, and the status it shows. */
export interface AgentBotWebhookEvents {
  events: BotHostEvent[];
  unreadable: UnreadablePart[];
  /**
   * The conversation's status as the body shows it (bot payloads are built when the change
   * happens, `SyncDispatcher`), with the time it had then: the holder guard of `replyAsBot`.
   */
  status?: { conversationId: string; status: string; at: number };
}

function contactOf(sender: z.infer<typeof contactSenderSchema>): HostContact {
  return {
    id: String(sender.id),
    ...(sender.name == null || sender.name === '' ? {} : { name: sender.name }),
    ...(sender.email == null ? {} : { email: sender.email }),
    ...(sender.phone_number == null ? {} : { phone: sender.phone_number }),
    ...(sender.identifier == null ? {} : { identifier: sender.identifier }),
  };
}

/**
 * The holder a conversation event reports, or undefined. `conversation_status_changed` and the
 * deprecated `conversation_opened`/`conversation_resolved` (the only ones before 4.13.0) carry the
 * new status; `conversation_updated` carries it in `changed_attributes`, and when auto-assignment
 * picked an agent inside the save (Chatwoot #9277) it is the only webhook and shows just the new
 * assignee of an open conversation: a human holds it.
 */
function holderChange(payload: ConversationEventPayload): { status: string } | undefined {
  switch (payload.event) {
    case 'conversation_status_changed':
      return typeof payload.status === 'string' ? { status: payload.status } : undefined;
    case 'conversation_opened':
      return { status: 'open' };
    case 'conversation_resolved':
      return { status: 'resolved' };
    case 'conversation_updated': {
      const status = statusChangeOf(payload);
      if (status !== undefined && typeof status.current === 'string') return { status: status.current };
      const assignee = assigneeChangeOf(payload);
      if (assignee?.current != null && payload.status === 'open') return { status: 'open' };
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Turns one agent-bot webhook body (verified, parsed JSON) into host events. A contact's message
 * (`message_created`, incoming, not private, sent by the contact) becomes `contact.message` with
 * the conversation's holder at that moment; a change of hands becomes `conversation.holder`, the
 * same id whichever of the webhooks announcing it arrives. The bot's own replies, agents' messages
 * and notes and `message_updated` are left out.
 */
export function agentBotWebhookEvents(body: unknown, context: AgentBotEventContext): AgentBotWebhookEvents {
  const none: AgentBotWebhookEvents = { events: [], unreadable: [] };
  if (typeof body !== 'object' || body === null) return none;
  const payload = body as Record<string, unknown>;
  const inboxId = inboxOf(payload);
  if (context.inboxIds !== undefined && (inboxId === undefined || !context.inboxIds.includes(inboxId)))
    return none;
  if (typeof payload.source_id === 'string' && payload.source_id.startsWith(sourceIdPrefix)) return none;
  const event = String(payload.event);
  const eventId = typeof payload.id === 'number' ? `${event}:${payload.id}` : event;
  if (event === 'message_created') {
    const message = messageEventSchema.safeParse(payload);
    if (!message.success) return { events: [], unreadable: [unreadableFrom(message.error, '', eventId)] };
    const data = message.data;
    const conversationId = String(data.conversation.id);
    const status =
      typeof data.conversation.status === 'string'
        ? {
            conversationId,
            status: data.conversation.status,
            at: data.conversation.updated_at ?? data.conversation.timestamp ?? 0,
          }
        : undefined;
    const withStatus = (result: Omit<AgentBotWebhookEvents, 'status'>): AgentBotWebhookEvents =>
      status === undefined ? result : { ...result, status };
    const incoming = data.message_type === 'incoming' || data.message_type === 0;
    if (!incoming || data.private === true) return withStatus(none);
    const sender = contactSenderSchema.safeParse(payload.sender);
    // Contacts carry no `type` (or `contact` in older versions); anything else is not the contact.
    if (!sender.success || (sender.data.type != null && sender.data.type !== 'contact'))
      return withStatus(none);
    const id = `message:${data.id}`;
    const { attachments, unreadable } = readAttachments(data.attachments, id);
    const occurredAt = createdAt(data.created_at);
    return withStatus({
      events: [
        {
          type: 'contact.message',
          id,
          conversationId,
          holder: holderOf(data.conversation.status),
          contact: contactOf(sender.data),
          message: {
            id: String(data.id),
            text: data.content ?? '',
            ...(attachments === undefined ? {} : { attachments }),
          },
          ...(occurredAt === undefined ? {} : { occurredAt }),
        },
      ],
      unreadable,
    });
  }
  if (event.startsWith('conversation_')) {
    const conversation = conversationEventSchema.safeParse(payload);
    if (!conversation.success) {
      return [
        'conversation_status_changed',
        'conversation_updated',
        'conversation_opened',
        'conversation_resolved',
      ].includes(event)
        ? { events: [], unreadable: [unreadableFrom(conversation.error, '', eventId)] }
        : none;
    }
    const data = conversation.data;
    const change = holderChange(data);
    if (change === undefined) return none;
    const at = data.updated_at ?? data.timestamp ?? 0;
    return {
      events: [
        {
          type: 'conversation.holder',
          id: `status:${data.id}:${change.status}:${at}`,
          conversationId: String(data.id),
          holder: holderOf(change.status),
        },
      ],
      unreadable: [],
      status: { conversationId: String(data.id), status: change.status, at },
    };
  }
  return none;
}

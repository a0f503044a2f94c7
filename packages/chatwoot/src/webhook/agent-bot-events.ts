import type { BotHostEvent, ConversationHolder, HostContact } from '@handoff/core';
import { z } from 'zod';
import { createdAt, inboxOf, sourceIdPrefix, toAttachments } from './chatwoot-webhook-events.js';
import { conversationEventSchema, messageEventSchema } from './chatwoot-webhook-payload.js';

/** A contact sender in message webhooks: no `type` key at all (notes §3.4). */
const contactSenderSchema = z.object({
  id: z.union([z.number(), z.string()]),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone_number: z.string().nullish(),
  identifier: z.string().nullish(),
  type: z.string().nullish(),
});

/** Who holds a conversation, by Chatwoot status: the bot only while it is `pending` (#11429). */
export function holderOf(status: string | null | undefined): ConversationHolder {
  if (status === 'pending') return 'bot';
  if (status === 'resolved') return 'closed';
  return 'human';
}

export interface AgentBotEventContext {
  /** Only these inboxes are answered; undefined: every inbox the bot is attached to. */
  inboxIds: readonly number[] | undefined;
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
 * Turns one agent-bot webhook body (verified, parsed JSON) into host events. A contact's message
 * (`message_created`, incoming, not private, sent by the contact) becomes `contact.message` with
 * the conversation's holder at that moment; a status change becomes `conversation.holder`. The
 * bot's own replies, agents' messages and notes, `message_updated`, the `conversation_updated`
 * that doubles every status change and the deprecated `conversation_opened/resolved` are left out.
 */
export function agentBotWebhookEvents(body: unknown, context: AgentBotEventContext): BotHostEvent[] {
  if (typeof body !== 'object' || body === null) return [];
  const payload = body as Record<string, unknown>;
  const inboxId = inboxOf(payload);
  if (context.inboxIds !== undefined && (inboxId === undefined || !context.inboxIds.includes(inboxId)))
    return [];
  if (typeof payload.source_id === 'string' && payload.source_id.startsWith(sourceIdPrefix)) return [];

  if (payload.event === 'message_created') {
    const message = messageEventSchema.safeParse(payload);
    if (!message.success) return [];
    const data = message.data;
    const incoming = data.message_type === 'incoming' || data.message_type === 0;
    if (!incoming || data.private === true) return [];
    const sender = contactSenderSchema.safeParse(payload.sender);
    // Contacts carry no `type` (or `contact` in older versions); anything else is not the contact.
    if (!sender.success || (sender.data.type != null && sender.data.type !== 'contact')) return [];
    const attachments = toAttachments(data);
    const occurredAt = createdAt(data.created_at);
    return [
      {
        type: 'contact.message',
        id: `message:${data.id}`,
        conversationId: String(data.conversation.id),
        holder: holderOf(data.conversation.status),
        contact: contactOf(sender.data),
        message: {
          id: String(data.id),
          text: data.content ?? '',
          ...(attachments === undefined ? {} : { attachments }),
        },
        ...(occurredAt === undefined ? {} : { occurredAt }),
      },
    ];
  }

  if (payload.event === 'conversation_status_changed') {
    const conversation = conversationEventSchema.safeParse(payload);
    if (!conversation.success) return [];
    const data = conversation.data;
    return [
      {
        type: 'conversation.holder',
        id: `status:${data.id}:${data.status ?? ''}:${data.updated_at ?? data.timestamp ?? ''}`,
        conversationId: String(data.id),
        holder: holderOf(data.status),
      },
    ];
  }
  return [];
}

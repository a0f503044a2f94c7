import { z } from 'zod';

// What the adapter reads of Chatwoot's webhooks (notes §3.4). Lenient on purpose: fields Chatwoot
// may drop or add never make a delivery unreadable.

const numberOrString = z.union([z.number(), z.string()]);

const senderSchema = z
  .object({
    id: numberOrString.optional(),
    name: z.string().nullish(),
    /** `user` for a human agent, `agent_bot`, `captain_assistant`; absent for a contact. */
    type: z.string().nullish(),
  })
  .nullish();

export const webhookConversationSchema = z.object({
  id: z.number(),
  inbox_id: z.number().nullish(),
  status: z.string().nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
  contact_inbox: z.object({ source_id: z.string().nullish() }).nullish(),
  meta: z
    .object({
      assignee: z
        .object({ id: numberOrString, name: z.string().nullish(), type: z.string().nullish() })
        .nullish(),
      team: z.object({ id: numberOrString, name: z.string().nullish() }).nullish(),
    })
    .nullish(),
  updated_at: z.number().nullish(),
  timestamp: z.number().nullish(),
});

const attachmentSchema = z.object({
  data_url: z.string(),
  content_type: z.string().nullish(),
  file_type: z.string().nullish(),
  file_size: z.number().nullish(),
});

const changedAttributesSchema = z
  .array(
    z.record(z.string(), z.object({ previous_value: z.unknown(), current_value: z.unknown() }).partial()),
  )
  .nullish();

export const messageEventSchema = z.object({
  event: z.enum(['message_created', 'message_updated']),
  id: z.number(),
  content: z.string().nullish(),
  /** A string in webhooks (`incoming`, `outgoing`, `template`), an integer in REST answers. */
  message_type: numberOrString,
  private: z.boolean().nullish(),
  source_id: z.string().nullish(),
  created_at: numberOrString.nullish(),
  sender: senderSchema,
  inbox: z.object({ id: z.number() }).nullish(),
  attachments: z.array(attachmentSchema).nullish(),
  conversation: webhookConversationSchema,
});

export const conversationEventSchema = webhookConversationSchema.extend({
  event: z.enum([
    'conversation_created',
    'conversation_status_changed',
    'conversation_updated',
    'conversation_opened',
    'conversation_resolved',
  ]),
  changed_attributes: changedAttributesSchema,
});

export const typingEventSchema = z.object({
  event: z.enum(['conversation_typing_on', 'conversation_typing_off']),
  user: senderSchema,
  conversation: webhookConversationSchema,
  is_private: z.boolean().nullish(),
});

export type MessageEventPayload = z.infer<typeof messageEventSchema>;
export type ConversationEventPayload = z.infer<typeof conversationEventSchema>;
export type TypingEventPayload = z.infer<typeof typingEventSchema>;
export type WebhookConversation = z.infer<typeof webhookConversationSchema>;

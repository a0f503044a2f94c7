import type { UnreadablePart } from '@handoff/core';
import { z } from 'zod';

// What the adapter reads of Chatwoot's webhooks (`Message#webhook_data`,
// `Conversations::EventDataPresenter#webhook_data`, the typing payload of `webhook_listener.rb`)
// and of the REST answers catching up reads. Only the fields the adapter uses, each accepting null
// where Chatwoot's code can render nil; attachments are read one by one, so one unreadable file
// never loses the message.

const numberOrString = z.union([z.number(), z.string()]);

const senderSchema = z
  .object({
    id: numberOrString.nullish(),
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

/**
 * `Attachment#push_event_data` for a file: `data_url` is `url_for(file)`, or the `external_url`
 * (possibly nil) when no file is attached; contact-type attachments have none at all.
 */
export const attachmentSchema = z.object({
  data_url: z.string({ error: 'no URL (the file is not attached in Chatwoot)' }),
  /** From 4.13.0 (`file.content_type`). */
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
  /** Each entry is read on its own (`attachmentSchema`). */
  attachments: z.array(z.unknown()).nullish(),
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
  is_private: z.union([z.boolean(), z.string()]).nullish(),
});

export type MessageEventPayload = z.infer<typeof messageEventSchema>;
export type ConversationEventPayload = z.infer<typeof conversationEventSchema>;
export type TypingEventPayload = z.infer<typeof typingEventSchema>;
export type WebhookConversation = z.infer<typeof webhookConversationSchema>;

/** The parts a failed parse names: the first issue's path and message. */
export function unreadableFrom(error: z.ZodError, prefix = '', eventId?: string): UnreadablePart {
  const issue = error.issues[0];
  const path = (issue?.path ?? [])
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
    .join('');
  const field = `${prefix}${path}`.replace(/^\./, '') || '(root)';
  return { field, reason: issue?.message ?? 'unreadable', ...(eventId === undefined ? {} : { eventId }) };
}

/** A status change in `changed_attributes` (captured at the commit, unlike the body's `status`). */
export function statusChangeOf(
  payload: Pick<ConversationEventPayload, 'changed_attributes'>,
): { previous: unknown; current: unknown } | undefined {
  for (const change of payload.changed_attributes ?? []) {
    const status = change.status;
    if (status !== undefined) return { previous: status.previous_value, current: status.current_value };
  }
  return undefined;
}

/** An assignee change in `changed_attributes`: the new user id, or null when unassigned. */
export function assigneeChangeOf(
  payload: Pick<ConversationEventPayload, 'changed_attributes'>,
): { current: unknown } | undefined {
  for (const change of payload.changed_attributes ?? []) {
    const assignee = change.assignee_id;
    if (assignee !== undefined) return { current: assignee.current_value };
  }
  return undefined;
}

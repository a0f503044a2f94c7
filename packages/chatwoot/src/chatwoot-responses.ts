import { z } from 'zod';

// Minimal schemas of Chatwoot's REST answers: only the fields the adapter reads, each accepting
// null wherever Chatwoot's jbuilder views can render nil.

const id = z.number().int();

const contactInboxSchema = z.object({
  source_id: z.string().nullable().optional(),
  inbox: z.object({ id }).nullable().optional(),
});

const contactSchema = z.object({
  id,
  identifier: z.string().nullable().optional(),
  contact_inboxes: z.array(contactInboxSchema).optional(),
});
export type ChatwootContact = z.infer<typeof contactSchema>;

export const contactFilterResponseSchema = z.object({ payload: z.array(contactSchema) });
export const contactCreateResponseSchema = z.object({ payload: z.object({ contact: contactSchema }) });
export const contactShowResponseSchema = z.object({ payload: contactSchema });
export const contactInboxCreateResponseSchema = z.object({ source_id: z.string().nullable().optional() });

export const conversationSchema = z.object({
  id,
  status: z.string(),
  custom_attributes: z.record(z.string(), z.unknown()).nullable().optional(),
  /** The create answer carries the last message (the first one, when created with it). */
  messages: z.array(z.object({ id, source_id: z.string().nullable().optional() })).optional(),
});
export const contactConversationsResponseSchema = z.object({ payload: z.array(conversationSchema) });

export const messageSchema = z.object({ id, source_id: z.string().nullable().optional() });
export const messageListResponseSchema = z.object({ payload: z.array(messageSchema.loose()) });

const teamSchema = z.object({ id, name: z.string() });
export const teamListResponseSchema = z.array(teamSchema);
/** Assigning a team answers the team, or `null` when the id is unknown (the team is then cleared). */
export const teamAssignmentResponseSchema = teamSchema.nullable();

export const conversationLabelsResponseSchema = z.object({ payload: z.array(z.string()) });

/**
 * `toggle_status.json.jbuilder`. `success` is `@status`, which the agent-bot handoff path
 * (`bot_handoff!`) never sets: a bot opening a pending conversation gets `"success": null`. Only
 * `current_status` says what happened.
 */
export const toggleStatusResponseSchema = z.object({
  payload: z.object({ success: z.boolean().nullish(), current_status: z.string().nullish() }).nullish(),
});

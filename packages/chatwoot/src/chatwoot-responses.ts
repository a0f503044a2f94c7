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

/**
 * `GET /api/v1/profile` (`api/v1/models/_user.json.jbuilder`): the token's user and every account
 * they belong to, with their role there.
 */
export const profileResponseSchema = z.object({
  id,
  accounts: z.array(
    z.object({ id, status: z.string().nullable().optional(), role: z.string().nullable().optional() }),
  ),
});

/** `GET /inboxes/{id}` (`api/v1/models/_inbox.json.jbuilder`): what the settings check reads. */
export const inboxShowResponseSchema = z.object({
  id,
  channel_type: z.string(),
  lock_to_single_conversation: z.boolean().nullable().optional(),
});

/** `api/v1/accounts/webhooks/_webhook.json.jbuilder`; `secret` from 4.11.2. */
const webhookSchema = z.object({
  id,
  url: z.string(),
  subscriptions: z.array(z.string()).nullable().optional(),
  secret: z.string().nullable().optional(),
});
export type ChatwootWebhook = z.infer<typeof webhookSchema>;
/** `webhooks/index.json.jbuilder`: `{payload: {webhooks: [...]}}`. */
export const webhookListResponseSchema = z.object({
  payload: z.object({ webhooks: z.array(webhookSchema) }),
});
/** `webhooks/create.json.jbuilder` and `update.json.jbuilder`: `{payload: {webhook}}`. */
export const webhookResponseSchema = z.object({ payload: z.object({ webhook: webhookSchema }) });

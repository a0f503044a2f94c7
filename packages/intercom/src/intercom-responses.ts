import { z } from 'zod';

// What the adapter reads of Intercom's answers (API 2.14), nothing more. Ids are strings in JSON,
// but a few are integers (`*_assignee_id`, `admin_ids`): both are accepted and read as strings.

const id = z.union([z.string(), z.number()]).transform(String);

export const contactSchema = z.object({ id, external_id: z.string().nullish(), email: z.string().nullish() });
export const contactListSchema = z.object({ data: z.array(contactSchema) });

/** `POST /conversations` answers the Message: `id` is the message, `conversation_id` the conversation. */
export const createdMessageSchema = z.object({ id, conversation_id: id });

const partAuthorSchema = z.object({
  id: id.nullish(),
  type: z.string().nullish(),
  name: z.string().nullish(),
});

const attachmentSchema = z.object({
  url: z.string(),
  name: z.string().nullish(),
  content_type: z.string().nullish(),
  filesize: z.number().nullish(),
});

const conversationPartSchema = z.object({
  id,
  part_type: z.string(),
  body: z.string().nullish(),
  created_at: z.number().nullish(),
  author: partAuthorSchema.nullish(),
  assigned_to: z.object({ id: id.nullish(), type: z.string().nullish() }).nullish(),
  attachments: z.array(attachmentSchema).nullish(),
});
export type ConversationPart = z.infer<typeof conversationPartSchema>;

export const conversationSchema = z.object({
  id,
  state: z.string().nullish(),
  team_assignee_id: id.nullish(),
  admin_assignee_id: id.nullish(),
  contacts: z.object({ contacts: z.array(z.object({ id })) }).nullish(),
  source: z
    .object({ id: id.nullish(), body: z.string().nullish(), author: partAuthorSchema.nullish() })
    .nullish(),
  conversation_parts: z.object({ conversation_parts: z.array(conversationPartSchema) }).nullish(),
});
export type IntercomConversation = z.infer<typeof conversationSchema>;

export const teamSchema = z.object({ id, name: z.string(), admin_ids: z.array(id).nullish() });
export const teamListSchema = z.object({ teams: z.array(teamSchema) });
export const adminListSchema = z.object({
  admins: z.array(z.object({ id, name: z.string().nullish(), away_mode_enabled: z.boolean().nullish() })),
});

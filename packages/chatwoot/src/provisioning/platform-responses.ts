// Minimal schemas of the Platform API answers the provisioner reads (`platform/api/v1/**` jbuilder
// views of Chatwoot 4.15.1), plus the application API answers it reads that the adapter does not.

import { z } from 'zod';

const id = z.number().int();
const attributes = z.record(z.string(), z.unknown()).nullable().optional();

/** `platform/api/v1/models/_account.json.jbuilder` (create, show, update, and each of index). */
export const platformAccountSchema = z.object({
  id,
  name: z.string().nullable().optional(),
  custom_attributes: attributes,
});
export const platformAccountListSchema = z.array(platformAccountSchema);

/**
 * `platform/api/v1/models/_user.json.jbuilder`: `access_token` is the user's own token
 * (`resource.access_token.token`), the one the application API takes.
 */
export const platformUserSchema = z.object({
  id,
  email: z.string().nullable().optional(),
  access_token: z.string(),
});

/** `account_users#index` renders the records as JSON (`render json: @resource.account_users`): `role` is the enum's name. */
export const platformAccountUserListSchema = z.array(
  z.object({ user_id: id, role: z.string().nullable().optional() }),
);

/** `platform/api/v1/models/_agent_bot.json.jbuilder`; index renders the app's bots with it. */
export const platformAgentBotSchema = z.object({
  id,
  name: z.string().nullable().optional(),
  outgoing_url: z.string().nullable().optional(),
  account_id: id.nullable().optional(),
  access_token: z.string(),
});
export const platformAgentBotListSchema = z.array(platformAgentBotSchema);

/**
 * `api/v1/models/_inbox.json.jbuilder` for an API inbox: `secret` only to administrators,
 * `webhook_url` and the channel's `additional_attributes` (where the provisioner keeps its tags).
 */
export const applicationInboxSchema = z.object({
  id,
  name: z.string().nullable().optional(),
  channel_type: z.string().nullable().optional(),
  webhook_url: z.string().nullable().optional(),
  secret: z.string().nullable().optional(),
  additional_attributes: attributes,
});
export type ApplicationInbox = z.infer<typeof applicationInboxSchema>;
/** `inboxes/index.json.jbuilder`: `{payload: [...]}`. */
export const applicationInboxListSchema = z.object({ payload: z.array(applicationInboxSchema) });

/** `inboxes/agent_bot.json.jbuilder`: `{agent_bot: {...}}`, an empty object when none is attached. */
export const inboxAgentBotSchema = z.object({
  agent_bot: z.object({ id: id.optional() }).nullable().optional(),
});

/** `api/v1/models/_agent_bot.json.jbuilder`: `secret` only to administrators. */
export const applicationAgentBotSchema = z.object({ id, secret: z.string().nullable().optional() });

import { z } from 'zod';

// The Livechat webhook body as Rocket.Chat's sendToCRM builds it (the room's guest info, `type`,
// the messages and the fields of the type), only what the adapter reads.

const userRefSchema = z.object({
  _id: z.string().nullish(),
  username: z.string().nullish(),
  name: z.string().nullish(),
});

export const webhookMessageSchema = z.object({
  _id: z.string().min(1),
  username: z.string().nullish(),
  msg: z.string().nullish(),
  ts: z.union([z.string(), z.number()]).nullish(),
  rid: z.string().nullish(),
  /** The author's user id, present when the author is not the visitor. */
  agentId: z.string().nullish(),
  editedAt: z.unknown().optional(),
  closingMessage: z.boolean().nullish(),
  navigation: z.unknown().optional(),
  file: z.unknown().optional(),
  attachments: z
    .array(
      z.object({
        title_link: z.string().nullish(),
        image_url: z.string().nullish(),
        title: z.string().nullish(),
        type: z.string().nullish(),
        image_type: z.string().nullish(),
        image_size: z.number().nullish(),
      }),
    )
    .nullish(),
  u: userRefSchema.nullish(),
});
export type WebhookMessage = z.infer<typeof webhookMessageSchema>;

export const webhookPayloadSchema = z.object({
  type: z.string(),
  /** The room id. */
  _id: z.string().min(1),
  visitor: z
    .object({
      _id: z.string().nullish(),
      token: z.string().nullish(),
      username: z.string().nullish(),
      // Read as strings where they are strings; anything else is left out, never a refusal.
      name: z.unknown().optional(),
      email: z.unknown().optional(),
      phone: z.unknown().optional(),
      /** The visitor's custom fields (`livechatData`): `handoff_user_id` is our user id. */
      customFields: z.unknown().optional(),
    })
    .nullish(),
  agent: userRefSchema.nullish(),
  departmentId: z.string().nullish(),
  oldDepartmentId: z.string().nullish(),
  servedBy: z
    .object({
      _id: z.string(),
      username: z.string().nullish(),
      ts: z.union([z.string(), z.number()]).nullish(),
    })
    .nullish(),
  closedAt: z.union([z.string(), z.number()]).nullish(),
  closedBy: userRefSchema.nullish(),
  /** `user` (an agent or manager closed it) or `visitor`. */
  closer: z.string().nullish(),
  messages: z.array(z.unknown()).nullish(),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

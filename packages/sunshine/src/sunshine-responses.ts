import { z } from 'zod';

// What the adapters read of Sunshine Conversations' answers (API v2, document 17.12.1) and of the
// Zendesk Support API, nothing more. Fields the documents mark nullable accept null.

/** `metadata`: a flat object of strings, numbers and booleans (4 KB at most). */
const metadataSchema = z.record(z.string(), z.unknown()).nullish();

const userSchema = z.object({
  id: z.string(),
  externalId: z.string().nullish(),
});
/** `userResponse` (CreateUser 201, GetUser 200). */
export const userResponseSchema = z.object({ user: userSchema });

/** `switchboardIntegrationWebhook`: who holds (or is offered) a conversation. */
export const switchboardIntegrationRefSchema = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  integrationId: z.string().nullish(),
  integrationType: z.string().nullish(),
});
export type SwitchboardIntegrationRef = z.infer<typeof switchboardIntegrationRefSchema>;

const conversationSchema = z.object({
  id: z.string(),
  metadata: metadataSchema,
  activeSwitchboardIntegration: switchboardIntegrationRefSchema.nullish(),
  pendingSwitchboardIntegration: switchboardIntegrationRefSchema.nullish(),
});
export type SunshineConversation = z.infer<typeof conversationSchema>;

/** `conversationResponse` (CreateConversation 201, GetConversation 200). */
export const conversationResponseSchema = z.object({ conversation: conversationSchema });

const pageMetaSchema = z
  .object({
    hasMore: z.boolean().nullish(),
    afterCursor: z.string().nullish(),
    beforeCursor: z.string().nullish(),
  })
  .nullish();

/** `conversationListResponse` (ListConversations, `filter[userId]`). */
export const conversationListSchema = z.object({
  conversations: z.array(conversationSchema),
  meta: pageMetaSchema,
});

/** A message's `content`, as far as the adapters read it (text; a file's or image's URL). */
export const messageContentSchema = z
  .object({
    type: z.string(),
    text: z.string().nullish(),
    mediaUrl: z.string().nullish(),
    altText: z.string().nullish(),
  })
  .nullish();

const messageSchema = z.object({
  id: z.string(),
  received: z.string().nullish(),
  author: z
    .object({
      type: z.string(),
      subtypes: z.array(z.string()).nullish(),
      userId: z.string().nullish(),
      displayName: z.string().nullish(),
    })
    .nullish(),
  content: messageContentSchema,
  /** Set on messages a system activity made (a ticket closed, ...). */
  activity: z.unknown().optional(),
  source: z.object({ type: z.string().nullish(), integrationId: z.string().nullish() }).nullish(),
  metadata: metadataSchema,
});
export type SunshineMessage = z.infer<typeof messageSchema>;

/** `messagePostResponse`: the created messages (one for a text). */
export const messagePostResponseSchema = z.object({ messages: z.array(messageSchema) });

/** `messageListResponse`: the latest page first; `meta.beforeCursor` pages back. */
export const messageListSchema = z.object({ messages: z.array(messageSchema), meta: pageMetaSchema });

/** `switchboardListResponse` and `switchboardIntegrationListResponse`. */
export const switchboardListSchema = z.object({
  switchboards: z.array(z.object({ id: z.string() })),
});
export const switchboardIntegrationListSchema = z.object({
  switchboardIntegrations: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullish(),
      integrationId: z.string().nullish(),
      integrationType: z.string().nullish(),
    }),
  ),
});

/** Zendesk Support `GET /api/v2/groups` (cursor pagination: `meta.has_more`, `meta.after_cursor`). */
export const groupListSchema = z.object({
  groups: z.array(
    z.object({
      id: z.union([z.number(), z.string()]).transform(String),
      name: z.string(),
      deleted: z.boolean().nullish(),
    }),
  ),
  meta: z.object({ has_more: z.boolean().nullish(), after_cursor: z.string().nullish() }).nullish(),
  next_page: z.string().nullish(),
});

/** `participantListResponse` (ListParticipants): the users of a conversation. */
export const participantListSchema = z.object({
  participants: z.array(z.object({ userId: z.string().nullish() })),
});

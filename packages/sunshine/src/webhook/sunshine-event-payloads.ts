import { z } from 'zod';
import { messageContentSchema, switchboardIntegrationRefSchema } from '../sunshine-responses.js';

// The payloads of the webhook events the adapters read (document 17.12.1, `x-webhooks`
// EventWebhooks: conversationMessageEvent, conversationTypingEvent, switchboard* events), minimal.

const metadataSchema = z.record(z.string(), z.unknown()).nullish();

const conversationRefSchema = z.object({
  id: z.string().min(1),
  metadata: metadataSchema,
  activeSwitchboardIntegration: switchboardIntegrationRefSchema.nullish(),
});

/** `authorWebhook`, with the display fields the message author carries. */
const authorSchema = z.object({
  type: z.string(),
  subtypes: z.array(z.string()).nullish(),
  userId: z.string().nullish(),
  displayName: z.string().nullish(),
  user: z
    .object({
      id: z.string().nullish(),
      externalId: z.string().nullish(),
      profile: z
        .object({
          givenName: z.string().nullish(),
          surname: z.string().nullish(),
          email: z.string().nullish(),
        })
        .nullish(),
    })
    .nullish(),
});
export type WebhookAuthor = z.infer<typeof authorSchema>;

/** `conversation:message`: `{conversation, message}`. */
export const webhookMessageSchema = z.object({
  id: z.string().min(1),
  received: z.string().nullish(),
  author: authorSchema,
  content: messageContentSchema,
  source: z.object({ type: z.string().nullish(), integrationId: z.string().nullish() }).nullish(),
  metadata: metadataSchema,
  activity: z.unknown().optional(),
});

export const messagePayloadSchema = z.object({
  conversation: conversationRefSchema,
  message: webhookMessageSchema,
});
export type MessagePayload = z.infer<typeof messagePayloadSchema>;

/** `conversation:typing`: `{conversation, activity: {type: typing:start | typing:stop, author}}`. */
export const typingPayloadSchema = z.object({
  conversation: conversationRefSchema,
  activity: z.object({ type: z.string(), author: authorSchema.nullish() }),
});

/** `switchboard:passControl`, `switchboard:releaseControl`, `…:acceptControl`, `…:offerControl`. */
export const switchboardPayloadSchema = z.object({
  conversation: conversationRefSchema,
  metadata: metadataSchema,
  reason: z.string().nullish(),
});

/** Author subtypes that are not a human agent: AI and bot agents, system activities. */
const notHumanSubtypes = new Set(['AI', 'bot', 'activity']);

/** Whether a business message is a human agent's (not a bot's, an AI's or a system activity). */
export const isHumanAgentMessage = (message: MessagePayload['message']) =>
  message.author.type === 'business' &&
  message.activity === undefined &&
  !(message.author.subtypes ?? []).some((subtype) => notHumanSubtypes.has(subtype));

/** The Zendesk agent id Zendesk puts on an agent's message (`__zendesk_msg.agent.id`), when there. */
export function zendeskAgentIdOf(message: MessagePayload['message']): string | undefined {
  const value = message.metadata?.['__zendesk_msg.agent.id'];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The text of a message: its text, else (a file or an image) its URL, with the alt text. */
export function messageTextOf(message: MessagePayload['message']): string | undefined {
  const content = message.content;
  if (content === null || content === undefined) return undefined;
  const parts = [content.text ?? content.altText ?? undefined, content.mediaUrl ?? undefined].filter(
    (part): part is string => part !== undefined && part !== '',
  );
  return parts.length === 0 ? undefined : parts.join('\n');
}

import { z } from 'zod';

// Only what the adapter reads of the in-process system's webhooks.
const conversationSchema = z.object({
  id: z.string(),
  attributes: z.record(z.string(), z.unknown()).default({}),
});
const agentSchema = z.object({ id: z.string(), name: z.string() });
const attachmentSchema = z.object({
  url: z.string(),
  contentType: z.string(),
  name: z.string().optional(),
  size: z.number().optional(),
});

export const memoryWebhookPayloadSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('message.created'),
    conversation: conversationSchema,
    message: z.object({
      id: z.string(),
      author: z.enum(['user', 'bot', 'note', 'agent']),
      private: z.boolean(),
      text: z.string(),
      attachments: z.array(attachmentSchema).optional(),
      sourceKey: z.string().optional(),
      createdAt: z.string(),
      agent: agentSchema.optional(),
    }),
  }),
  z.object({
    event: z.literal('typing'),
    conversation: conversationSchema,
    agent: agentSchema,
    typing: z.boolean(),
  }),
  z.object({
    event: z.literal('conversation.assigned'),
    conversation: conversationSchema,
    agent: agentSchema,
  }),
  z.object({ event: z.literal('conversation.transferred'), conversation: conversationSchema }),
  z.object({
    event: z.literal('conversation.resolved'),
    conversation: conversationSchema,
    resolvedBy: z.union([
      z.object({ type: z.literal('agent'), agent: agentSchema }),
      z.object({ type: z.literal('api') }),
    ]),
    resolvedAt: z.string().optional(),
  }),
]);

export type ParsedMemoryWebhook = z.infer<typeof memoryWebhookPayloadSchema>;

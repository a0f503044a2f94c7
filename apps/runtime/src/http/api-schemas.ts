import {
  attachmentSchema,
  maxAttachmentsPerMessage,
  maxMessageTextLength,
  supportUserSchema,
} from '@handoff/core';
import { z } from 'zod';
import { safeText, withSafeStrings } from './safe-text.js';

const hasControlCharacter = (value: string) =>
  [...value].some((character) => {
    const code = character.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f;
  });

const identifier = safeText()
  .min(1)
  .max(200)
  .refine(
    (value) => !hasControlCharacter(value) && !value.includes('/'),
    'must not contain control characters or "/"',
  );

export const channelParamsSchema = z.object({ channelId: identifier, userId: identifier });

/** A file attached to a message, every string of it under the text rule. */
export const safeAttachmentSchema = withSafeStrings(attachmentSchema);

export const postMessageBodySchema = z
  .object({
    /** The client's message id: repeating a call with the same id has no second effect. */
    id: safeText().min(1).max(200).optional(),
    // The length is checked against the support system's own limit, in its unit, by the route.
    text: safeText().meta({ maxLength: maxMessageTextLength }).default(''),
    attachments: z.array(safeAttachmentSchema).max(maxAttachmentsPerMessage).optional(),
    profile: withSafeStrings(supportUserSchema.omit({ id: true }).strict()).optional(),
  })
  .strict()
  .refine((body) => body.text.trim().length > 0 || (body.attachments?.length ?? 0) > 0, {
    message: 'a message needs text or at least one attachment',
    path: ['text'],
  });

export const closeBodySchema = z
  .object({ note: safeText().max(2_000).optional() })
  .strict()
  .default({});

export const outboundMessageSchema = z.object({
  id: z.string(),
  kind: z.enum(['bot', 'agent', 'notice']),
  text: z.string(),
  attachments: z.array(attachmentSchema).optional(),
  agent: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  notice: z.string().optional(),
  createdAt: z.string(),
});

export const turnResponseSchema = z.object({
  sessionId: z.string(),
  mode: z.enum(['bot', 'choosing-team', 'no-agent', 'human']),
  duplicate: z.boolean(),
  replies: z.array(outboundMessageSchema),
});

export const sessionResponseSchema = z.object({
  sessionId: z.string(),
  mode: z.enum(['bot', 'choosing-team', 'no-agent', 'human']),
  support: z.string(),
  team: z.object({ id: z.string(), label: z.string().optional() }).optional(),
  conversationId: z.string().optional(),
  /** Set while nobody of the team could answer: why, and what the user chose (once they did). */
  waiting: z
    .object({
      reason: z.enum(['no_agents', 'outside_hours']),
      choice: z.enum(['wait', 'message']).optional(),
    })
    .optional(),
  unfinishedSkills: z.array(z.string()),
});

export const eventsQuerySchema = z.object({
  /** Replay stored messages after this sequence (also read from Last-Event-ID); 0 for all. */
  after: safeText()
    .regex(/^\d{1,15}$/, 'must be a whole number of at most 15 digits')
    .transform(Number)
    .optional(),
});

/** `GET /v1/files/{id}/{name}`: the id is the key; the name is only what the browser saves. */
export const fileParamsSchema = z.object({
  id: safeText().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a file id'),
  name: safeText().min(1).max(255),
});

export const parkedParamsSchema = z.object({ id: safeText().min(1).max(200) });

export const errorResponseSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

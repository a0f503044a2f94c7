import { maxMessageTextLength } from '@handoff/core';
import { z } from 'zod';
import { safeAttachmentSchema } from './api-schemas.js';
import { safeText } from './safe-text.js';

/** The agent console of the in-process support system: its requests, every string under the text rule. */
const agentId = safeText().min(1).max(200);

export const consoleListQuerySchema = z.object({
  teamId: safeText().min(1).max(200).optional(),
  status: z.enum(['pending', 'open', 'resolved']).optional(),
});

export const consoleConversationParamsSchema = z.object({
  id: safeText().regex(/^\d{1,15}$/, 'must be a conversation number'),
});

export const consoleAgentParamsSchema = z.object({ agentId });

export const consoleAgentBodySchema = z.object({ agentId: agentId.optional() }).strict();

export const consoleReplyBodySchema = z
  .object({
    text: safeText().max(maxMessageTextLength).default(''),
    attachments: z.array(safeAttachmentSchema).max(15).optional(),
    agentId: agentId.optional(),
  })
  .strict()
  .refine((body) => body.text.trim() !== '' || (body.attachments?.length ?? 0) > 0, {
    message: 'a reply needs text or an attachment',
    path: ['text'],
  });

export const consoleNoteBodySchema = z
  .object({
    text: safeText().trim().min(1, 'a note needs text').max(maxMessageTextLength),
    agentId: agentId.optional(),
  })
  .strict();

export const consoleTypingBodySchema = z
  .object({ typing: z.boolean(), agentId: agentId.optional() })
  .strict();

export const consoleAvailabilityBodySchema = z.object({ available: z.boolean() }).strict();

// A message of a conversation as it is posted to the support system: author, text, files.

import { z } from 'zod';
import { attachmentSchema } from './attachment.js';
import { messageTextSchema } from './message-text.js';

/** Who wrote a transcript message: the end user, the bot, or a private note for agents. */
export const messageAuthorSchema = z.enum(['user', 'bot', 'note']);
export type MessageAuthor = z.infer<typeof messageAuthorSchema>;

export const maxAttachmentsPerMessage = 15;

/**
 * One message of the conversation as the support system should show it. `id` is stable: posting
 * the same id twice must not create a second message.
 */
export const transcriptMessageSchema = z
  .object({
    id: z.string().min(1).max(200),
    author: messageAuthorSchema,
    text: messageTextSchema,
    attachments: z.array(attachmentSchema).max(maxAttachmentsPerMessage).optional(),
    /** ISO 8601 time the message was written. */
    createdAt: z.iso.datetime({ offset: true }),
  })
  .refine((message) => message.text.length > 0 || (message.attachments?.length ?? 0) > 0, {
    message: 'a message needs text or at least one attachment',
    path: ['text'],
  });

export type TranscriptMessage = z.infer<typeof transcriptMessageSchema>;

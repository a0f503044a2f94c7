// The bot port: what the bot is asked for a user message, and its answer (validated when it comes
// from outside the process).

import { z } from 'zod';
import type { Attachment } from '../schemas/attachment.js';
import { attachmentSchema } from '../schemas/attachment.js';
import { handoffRequestSchema } from '../schemas/handoff-request.js';
import { messageTextSchema } from '../schemas/message-text.js';
import type { SessionReturn, UserProfile } from '../session/handoff-session.js';
import type { CallOptions } from './support-adapter.js';

/** What the bot receives for a user message. */
export interface BotRequest {
  session: { channelId: string; userId: string; sessionId: string };
  message: { id: string; text: string; attachments?: Attachment[] };
  profile?: UserProfile;
  /** Present on the first message after a human handed the session back. */
  returned?: SessionReturn;
}

/** The bot's answer. Validated when it comes from outside the process (HTTP bots). */
export const botResponseSchema = z.object({
  replies: z
    .array(z.object({ text: messageTextSchema, attachments: z.array(attachmentSchema).optional() }))
    .default([]),
  /**
   * Unfinished skills, innermost (most recently started) first: `Organization.Project.Skill`, or
   * `{ skill, slots }` with the slots filled so far (agents read them in the context note).
   */
  unfinishedSkills: z
    .array(
      z.union([
        z.string().max(500),
        z.object({
          skill: z.string().max(500),
          slots: z
            .record(z.string().max(100), z.union([z.string().max(1_000), z.number(), z.boolean()]))
            .optional(),
        }),
      ]),
    )
    .max(100)
    .default([]),
  /** Present when the bot wants a human now. */
  handoff: handoffRequestSchema.optional(),
});

export type BotResponse = z.input<typeof botResponseSchema>;

/** The bot behind the engine: the embedding platform's dialog manager, an HTTP bot, a demo bot. */
export interface BotConnector {
  respond(request: BotRequest, options: CallOptions): Promise<BotResponse>;
}

// What a support system can do beyond the required operations, as data the engine adapts to.

import { z } from 'zod';
import { textLengthUnits } from './text-length.js';

/**
 * What a support system (through its adapter) can do beyond the seven required operations. The
 * engine adapts its behaviour to it and the conformance kit switches suites on from it.
 */
export const supportCapabilitiesSchema = z.object({
  /**
   * Private notes for agents (author `note`), and agents' own private notes reported as
   * `agent.note`. Without it the adapter posts notes as bot messages.
   */
  privateNotes: z.boolean(),
  /** Files on messages, both ways; limits the engine enforces before posting. */
  attachments: z.union([
    z.literal(false),
    z.object({
      maxBytes: z.number().int().positive(),
      maxPerMessage: z.number().int().positive(),
    }),
  ]),
  /** The adapter reports agent typing as `agent.typing` events. */
  agentTyping: z.boolean(),
  /** The adapter reports `agent.assigned` when an agent takes the conversation. */
  assignmentEvents: z.boolean(),
  /** Transfers can label the conversation (`TransferOptions.labels`). */
  labels: z.boolean(),
  /** The adapter implements `teamAvailability`: whether anyone of a team can answer now. */
  availability: z.boolean(),
  /**
   * An opened conversation is held back from agents until `transfer` (Chatwoot: `pending`).
   * Without it agents may see the conversation as soon as it exists.
   */
  holdsConversationUntilTransfer: z.boolean(),
  /** Bot turns appear as written by a bot, not by a human agent. */
  botAttribution: z.boolean(),
  /**
   * Bot turns are kept as private notes for agents (the user already read them in the bot's
   * channel), because the system would deliver public ones to the user a second time (Intercom
   * with bot turns as notes). Default false: bot turns are part of the visible conversation.
   */
  botTurnsPrivate: z.boolean().optional(),
  /** The support system can host the bot itself (it owns the channel and calls the bot). */
  internalMode: z.boolean(),
  /**
   * The adapter implements `syncConversation`: it can read what happened in a conversation from
   * the system's records, so webhooks that never arrived are caught up on.
   */
  catchUp: z.boolean(),
  /**
   * The system delivers its webhooks in the order things happened. False (Chatwoot: every webhook
   * is its own job on a pool of workers): the engine lets agent messages wait `reorderWindowMs` for
   * earlier ones and relays them in the system's order. Default true.
   */
  orderedWebhooks: z.boolean().optional(),
  /**
   * The adapter implements `verifySettings`: it checks its settings against the system and names
   * the field at fault. Default false.
   */
  settingsCheck: z.boolean().optional(),
  /**
   * The adapter implements `registerWebhook`: the system lets an API client register the webhook
   * the adapter needs. Default false (the webhook is set up by hand in the system).
   */
  webhookRegistration: z.boolean().optional(),
  /** Most messages one `postMessages` call should carry; the engine splits larger batches. */
  maxMessagesPerPost: z.number().int().positive(),
  /**
   * The longest message text the system keeps, in the unit it counts (Chatwoot: 150,000 code
   * points). The engine refuses longer texts before accepting them; an adapter never shortens one.
   */
  textLength: z.object({ max: z.number().int().positive(), unit: z.enum(textLengthUnits) }),
  /**
   * How the adapter refuses stale and replayed webhooks. `toleranceSeconds` (systems that sign a
   * timestamp): a delivery signed longer ago, or further in the future, is refused; at most 300.
   * `replayWindowSeconds`: a delivery id seen within this long is refused; at least the tolerance.
   */
  webhookFreshness: z
    .object({
      toleranceSeconds: z.number().int().positive().max(300).optional(),
      replayWindowSeconds: z.number().int().positive(),
    })
    .refine(
      (freshness) =>
        freshness.toleranceSeconds === undefined ||
        freshness.replayWindowSeconds >= freshness.toleranceSeconds,
      { message: 'replayWindowSeconds must be at least toleranceSeconds', path: ['replayWindowSeconds'] },
    ),
});

export type SupportCapabilities = z.infer<typeof supportCapabilitiesSchema>;

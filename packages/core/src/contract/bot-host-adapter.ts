// The contract of a support system that hosts the bot (internal mode): verify and parse its bot
// webhook, answer as the bot, hand the conversation to a team.

import type { BotHostEvent } from '../schemas/bot-host-event.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import type { CallOptions, HandleWebhookOptions, TransferResult } from './support-adapter.js';
import type { UnreadablePart } from './unreadable-part.js';

/** Verify and parse a call of the support system's bot webhook. */
export type HandleBotWebhookOptions = HandleWebhookOptions;

export interface HandleBotWebhookResult {
  /** Delivery id of the request, when the system sends one. */
  deliveryId?: string;
  /** Typed events; the bot's own messages, agents' messages and notes are already left out. */
  events: BotHostEvent[];
  /** Parts the adapter could not read; the readable rest is in `events`. */
  unreadable?: UnreadablePart[];
}

/** Answer as the bot in a conversation the system owns. */
export interface ReplyAsBotOptions extends CallOptions {
  conversationId: string;
  /** The bot's messages (author `bot`), each with a stable id used as idempotency key. */
  messages: readonly TranscriptMessage[];
}

export interface ReplyAsBotResult {
  /**
   * False when the bot no longer holds the conversation (a human took it, or it was resolved):
   * nothing was posted. The bot never talks over a human.
   */
  delivered: boolean;
  /** Support-side ids of the messages posted, keyed by our message id. */
  posted: ReadonlyArray<{ id: string; supportMessageId: string }>;
}

/** Hand the conversation from the bot to a team of humans. */
export interface HandOffOptions extends CallOptions {
  conversationId: string;
  /** The team's id in the support system (or a name the adapter can resolve). */
  team: string;
  /** Private note for agents: the routing reason and the context. */
  note: string;
  /** Labels for the conversation, where the system has them. */
  labels?: readonly string[];
}

/**
 * Internal mode: the support system owns the user's channel and calls the bot (Chatwoot agent
 * bots). The host engine asks the bot on `contact.message` while the bot holds the conversation,
 * answers through `replyAsBot`, and hands off through `handOff`. Implementations throw
 * `SupportError` for failures of the system and `WebhookVerificationError` for refused webhooks.
 */
export interface BotHostAdapter {
  /** Short name of the system, for example `chatwoot`. */
  readonly provider: string;
  handleBotWebhook(options: HandleBotWebhookOptions): Promise<HandleBotWebhookResult>;
  replyAsBot(options: ReplyAsBotOptions): Promise<ReplyAsBotResult>;
  /**
   * Assigns the team, leaves the note, and opens the conversation to agents so they are told
   * (Chatwoot: assignments, private note, toggle_status open with the bot token). Retrying it
   * never duplicates the note.
   */
  handOff(options: HandOffOptions): Promise<TransferResult>;
}

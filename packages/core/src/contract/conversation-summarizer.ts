// The summarizer port: a short summary of the bot conversation for the agents' context note.

import type { TranscriptMessage } from '../schemas/transcript-message.js';
import type { CallOptions } from './support-adapter.js';

/** What a summary is written from. */
export interface SummaryRequest {
  /** The bot conversation kept for the handoff, oldest first (bounded: older messages may be gone). */
  messages: readonly TranscriptMessage[];
  /** The bot's unfinished skills, innermost first. */
  unfinishedSkills: readonly string[];
  /** The reason the bot gave for the handoff, if any. */
  reason?: string;
}

/**
 * Writes a short summary of the bot conversation for the agent who takes over (what the user wants,
 * what was tried, what is left). The context note opens with it; the routing facts follow as ever.
 * A summarizer that fails or takes too long costs the note its summary, never the handoff.
 */
export interface ConversationSummarizer {
  summarize(request: SummaryRequest, options: CallOptions): Promise<string>;
}

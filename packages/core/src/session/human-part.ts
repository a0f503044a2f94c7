// The human part of a session, kept for the bot: what the user and the agents wrote while a human
// held the session, bounded so a long conversation never grows the session without end.

import type { Attachment } from '../schemas/attachment.js';
import type { HandoffSession, HumanPartMessage } from './handoff-session.js';

/** Most messages of the human part the bot gets back (the latest). */
export const maxHumanPartMessages = 50;
/** Most characters of the human part the bot gets back, all messages together. */
export const maxHumanPartCharacters = 16_000;
/** Most characters kept of one message. */
const maxMessageCharacters = 2_000;

/** A message's text with its files named, cut at the per-message bound. */
export function humanPartText(text: string, attachments?: readonly Attachment[]): string {
  const files = (attachments ?? []).map((attachment) => `[file: ${attachment.name ?? 'unnamed'}]`);
  const whole = [text, ...files].filter((part) => part.length > 0).join(' ');
  return whole.length > maxMessageCharacters ? `${whole.slice(0, maxMessageCharacters - 1)}…` : whole;
}

/**
 * Adds a message to the human part, dropping (and counting) the oldest beyond the bounds. One
 * already there (the same id and author: a webhook delivered twice, a note read back) is skipped.
 */
export function recordHumanPart(session: HandoffSession, message: HumanPartMessage): void {
  if (message.text.length === 0) return;
  const known = session.humanPart ?? [];
  if (
    message.id !== undefined &&
    known.some((kept) => kept.id === message.id && kept.author === message.author)
  ) {
    return;
  }
  const messages = [...(session.humanPart ?? []), message];
  let characters = messages.reduce((total, kept) => total + kept.text.length, 0);
  let dropped = 0;
  while (messages.length > maxHumanPartMessages || characters > maxHumanPartCharacters) {
    const oldest = messages.shift() as HumanPartMessage;
    characters -= oldest.text.length;
    dropped += 1;
  }
  session.humanPart = messages;
  if (dropped > 0) session.humanPartDropped = (session.humanPartDropped ?? 0) + dropped;
}

// The private note agents read at transfer: who the user is, why they came, what the bot was doing.

import type { SessionHandoff, UserProfile } from '../session/handoff-session.js';

export interface ContextNoteInput {
  handoff: SessionHandoff;
  userId: string;
  sessionId: string;
  profile?: UserProfile;
  /** Messages of the bot conversation that did not fit the bounded transcript. */
  droppedMessages: number;
}

function describeSkill(skill: string, slots: Record<string, string | number | boolean> | undefined): string {
  const filled = Object.entries(slots ?? {});
  return filled.length === 0
    ? skill
    : `${skill} (${filled.map(([name, value]) => `${name}: ${value}`).join(', ')})`;
}

/**
 * The private note agents read at transfer: a summary of the bot conversation when a summarizer
 * wrote one, then who the user is, why they came, what the bot was doing (the unfinished skills
 * with the slots already filled), and what the user chose if nobody could answer at once.
 */
export function buildContextNote(input: ContextNoteInput): string {
  const { handoff, profile } = input;
  const lines = handoff.summary === undefined ? [] : [`Summary: ${handoff.summary}`, ''];
  lines.push('Handoff from the bot');
  lines.push(`Routing: ${handoff.reason}`);
  if (handoff.requestedReason) lines.push(`Reason given: ${handoff.requestedReason}`);
  if (handoff.matchedSkill) lines.push(`Matched skill: ${handoff.matchedSkill}`);
  lines.push(
    `Unfinished skills: ${
      handoff.unfinishedSkills.length > 0
        ? handoff.unfinishedSkills
            .map((skill) => describeSkill(skill, handoff.skillSlots?.[skill]))
            .join(' > ')
        : 'none'
    }`,
  );
  if (handoff.unavailable !== undefined) {
    const why =
      handoff.unavailable === 'outside_hours' ? 'outside business hours' : 'nobody of the team was online';
    const chose = handoff.choice === 'wait' ? 'chose to wait' : 'left a message';
    lines.push(`When the user asked: ${why}; the user ${chose}.`);
  }
  const who = [profile?.name, profile?.email, profile?.phone].filter((part) => part !== undefined);
  lines.push(`User: ${who.length > 0 ? `${who.join(', ')} (id ${input.userId})` : `id ${input.userId}`}`);
  if (profile?.locale) lines.push(`Locale: ${profile.locale}`);
  for (const [name, value] of Object.entries(profile?.attributes ?? {})) lines.push(`${name}: ${value}`);
  lines.push(`Bot session: ${input.sessionId}`);
  if (input.droppedMessages > 0) {
    lines.push(`${input.droppedMessages} earlier bot-conversation messages are not shown.`);
  }
  return lines.join('\n');
}

import type { SessionHandoff, UserProfile } from './handoff-session.js';

export interface ContextNoteInput {
  handoff: SessionHandoff;
  userId: string;
  sessionId: string;
  profile?: UserProfile;
  /** Messages of the bot conversation that did not fit the bounded transcript. */
  droppedMessages: number;
}

/** The private note agents read at transfer: who the user is, why they came, what the bot was doing. */
export function buildContextNote(input: ContextNoteInput): string {
  const { handoff, profile } = input;
  const lines = ['Handoff from the bot'];
  lines.push(`Routing: ${handoff.reason}`);
  if (handoff.requestedReason) lines.push(`Reason given: ${handoff.requestedReason}`);
  if (handoff.matchedSkill) lines.push(`Matched skill: ${handoff.matchedSkill}`);
  lines.push(
    `Unfinished skills: ${handoff.unfinishedSkills.length > 0 ? handoff.unfinishedSkills.join(' > ') : 'none'}`,
  );
  const who = [profile?.name, profile?.email, profile?.phone].filter((part) => part !== undefined);
  lines.push(`User: ${who.length > 0 ? `${who.join(', ')} ` : ''}(id ${input.userId})`);
  if (profile?.locale) lines.push(`Locale: ${profile.locale}`);
  lines.push(`Bot session: ${input.sessionId}`);
  if (input.droppedMessages > 0) {
    lines.push(`${input.droppedMessages} earlier bot-conversation messages are not shown.`);
  }
  return lines.join('\n');
}

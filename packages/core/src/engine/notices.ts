/**
 * Texts the engine sends to the user around a handoff. `{placeholders}` are filled in; every text
 * can be replaced (per channel, in any language) through the engine settings.
 */
export interface NoticeTexts {
  /** The handoff was accepted. `{team}` */
  handoffAccepted: string;
  /** The user is asked to pick a topic. `{topics}` */
  askTopic: string;
  /** The answer named no topic. `{topics}` */
  topicNotUnderstood: string;
  /** An agent took the conversation. `{agent}` */
  agentJoined: string;
  /** The agent closed the conversation; the bot is back. */
  agentClosed: string;
  /** The user (or the bot) ended the human part. */
  returnedToBot: string;
  /** The handoff could not be made. `{team}` */
  handoffFailed: string;
}

export type NoticeCode = keyof NoticeTexts;

export const defaultNoticeTexts: NoticeTexts = {
  handoffAccepted: 'Connecting you with {team}. A person will answer here shortly.',
  askTopic: 'Which team can help you? {topics}',
  topicNotUnderstood: 'Sorry, I did not get that. Please answer with one of: {topics}',
  agentJoined: '{agent} joined the conversation.',
  agentClosed: 'The agent closed the conversation. You are talking to the bot again.',
  returnedToBot: 'You are talking to the bot again.',
  handoffFailed: 'Sorry, we could not reach {team} right now. You are talking to the bot again.',
};

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function formatNotice(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** "1. Billing, 2. Technical support" */
export function formatTopicList(labels: readonly string[]): string {
  return labels.map((label, index) => `${index + 1}. ${label}`).join(', ');
}

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
  /** Nobody of the team is online: the options. `{team}` */
  noAgentOnline: string;
  /** The team is outside business hours: the options. `{team}` */
  outsideBusinessHours: string;
  /** The answer to the options named none. */
  optionNotUnderstood: string;
  /** The user chose to wait. `{team}` */
  waitAccepted: string;
  /** The user chose to leave a message. `{team}` */
  messageInvited: string;
  /** Nobody answered within the wait timeout; the bot is back. `{team}` */
  waitTimedOut: string;
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
  noAgentOnline:
    'Nobody from {team} is available right now. Reply 1 to wait, 2 to leave a message, or 3 to go back to the bot.',
  outsideBusinessHours:
    '{team} is outside business hours right now. Reply 1 to wait, 2 to leave a message, or 3 to go back to the bot.',
  optionNotUnderstood: 'Please reply 1 to wait, 2 to leave a message, or 3 to go back to the bot.',
  waitAccepted: 'OK, please wait: someone from {team} will answer here as soon as they can.',
  messageInvited: 'Write your message: {team} will answer here when they are back.',
  waitTimedOut: 'Sorry, nobody from {team} could answer in time. You are talking to the bot again.',
};

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function formatNotice(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** "1. Billing, 2. Technical support" */
export function formatTopicList(labels: readonly string[]): string {
  return labels.map((label, index) => `${index + 1}. ${label}`).join(', ');
}

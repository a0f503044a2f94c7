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
  /**
   * A message of the user's could not reach the support system, for good (its delivery was
   * parked). `{team}`, `{message}` (the start of the message, or its file names)
   */
  deliveryFailed: string;
  /** A message the user was told about in `deliveryFailed` got through after all (an operator retried it). `{team}`, `{message}` */
  deliveryRecovered: string;
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
  deliveryFailed: 'Sorry, your message "{message}" could not reach {team}. Please send it again.',
  deliveryRecovered: 'Your message "{message}" reached {team} after all.',
};

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function formatNotice(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** "1. Billing, 2. Technical support" */
export function formatTopicList(labels: readonly string[]): string {
  return labels.map((label, index) => `${index + 1}. ${label}`).join(', ');
}

const excerptLength = 60;

/**
 * How a notice names a message: the start of its text on one line (at most 60 characters), else
 * the names of its files.
 */
export function excerptOf(message: {
  text: string;
  attachments?: ReadonlyArray<{ name?: string | undefined; contentType: string }> | undefined;
}): string {
  const text = message.text.replace(/\s+/g, ' ').trim();
  if (text === '')
    return (message.attachments ?? [])
      .map((attachment) => attachment.name ?? attachment.contentType)
      .join(', ');
  const characters = [...text];
  return characters.length <= excerptLength ? text : `${characters.slice(0, excerptLength - 1).join('')}…`;
}

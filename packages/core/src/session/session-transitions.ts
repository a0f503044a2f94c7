// Changes of a session's state that every mode shares: start, de-duplication, transcript, return to the bot.

import type { TranscriptMessage } from '../schemas/transcript-message.js';
import type { HandoffSession, SessionReturn } from './handoff-session.js';

/** How many processed client message ids a session remembers for de-duplication. */
const rememberedMessageIds = 32;

export function createSession(input: {
  key: string;
  channelId: string;
  userId: string;
  sessionId: string;
  now: string;
}): HandoffSession {
  return {
    key: input.key,
    channelId: input.channelId,
    userId: input.userId,
    sessionId: input.sessionId,
    mode: 'bot',
    transcript: [],
    droppedMessages: 0,
    unfinishedSkills: [],
    recentMessageIds: [],
    createdAt: input.now,
    updatedAt: input.now,
  };
}

export function rememberMessageId(session: HandoffSession, messageId: string): void {
  session.recentMessageIds.push(messageId);
  if (session.recentMessageIds.length > rememberedMessageIds) {
    session.recentMessageIds.splice(0, session.recentMessageIds.length - rememberedMessageIds);
  }
}

/** Appends to the bounded transcript, dropping (and counting) the oldest messages beyond `limit`. */
export function appendToTranscript(
  session: HandoffSession,
  messages: readonly TranscriptMessage[],
  limit: number,
): void {
  session.transcript.push(...messages);
  const excess = session.transcript.length - limit;
  if (excess > 0) {
    session.transcript.splice(0, excess);
    session.droppedMessages += excess;
  }
}

/** Agent message ids a closed conversation keeps, against late copies (idle sessions stay small). */
const rememberedLateMessageIds = 50;

/**
 * Gives the session back to the bot: a new bot session starts, the conversation becomes the
 * previous one (late deliveries still find it), and the bot will be told why it got the user back.
 */
export function returnSessionToBot(
  session: HandoffSession,
  input: { sessionId: string; reason: SessionReturn['reason']; now: string },
): void {
  if (session.conversation !== undefined) {
    session.previousConversation = {
      handoffId: session.conversation.handoffId,
      ...(session.conversation.conversationId === undefined
        ? {}
        : { conversationId: session.conversation.conversationId }),
      closedAt: input.now,
      ...(session.agentMessageIds === undefined
        ? {}
        : { agentMessageIds: session.agentMessageIds.slice(-rememberedLateMessageIds) }),
    };
  }
  session.mode = 'bot';
  session.sessionId = input.sessionId;
  session.returned = {
    reason: input.reason,
    at: input.now,
    ...(session.lastAgentMessage === undefined ? {} : { lastAgentMessage: session.lastAgentMessage }),
    ...(session.lastAgentNote === undefined ? {} : { lastAgentNote: session.lastAgentNote }),
    ...(session.humanPart === undefined || session.humanPart.length === 0
      ? {}
      : { transcript: session.humanPart }),
    ...(session.humanPartDropped === undefined ? {} : { droppedMessages: session.humanPartDropped }),
  };
  delete session.conversation;
  delete session.handoff;
  delete session.lastAgentMessage;
  delete session.lastAgentNote;
  delete session.humanPart;
  delete session.humanPartDropped;
  delete session.agentMessageIds;
  session.transcript = [];
  session.droppedMessages = 0;
  session.unfinishedSkills = [];
  delete session.unfinishedSkillSlots;
}

/** The conversation an outbox item of `handoffId` belongs to: the current one or the one closed last. */
export function conversationOf(
  session: HandoffSession,
  handoffId: string,
):
  | { current: boolean; conversationId: string | undefined; postedWithOpen?: string; recovered?: boolean }
  | undefined {
  const conversation = session.conversation;
  if (conversation?.handoffId === handoffId) {
    return {
      current: true,
      conversationId: conversation.conversationId,
      ...(conversation.postedWithOpen === undefined ? {} : { postedWithOpen: conversation.postedWithOpen }),
      ...(conversation.recovered === undefined ? {} : { recovered: conversation.recovered }),
    };
  }
  if (session.previousConversation?.handoffId === handoffId) {
    return { current: false, conversationId: session.previousConversation.conversationId };
  }
  return undefined;
}

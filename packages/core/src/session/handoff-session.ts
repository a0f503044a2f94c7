// The session model: what one user's session in one channel stores, and its key.

import type { Attachment } from '../schemas/attachment.js';
import type { SupportUser } from '../schemas/support-user.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';

/**
 * Who holds the session: the bot, the user choosing a team, the user choosing what to do when
 * nobody of the team can answer now, or a human agent.
 */
export type SessionMode = 'bot' | 'choosing-team' | 'no-agent' | 'human';

/** The end user's profile as the channel knows it (everything but the id, which is the user id). */
export type UserProfile = Omit<SupportUser, 'id'>;

/** The support-side conversation of the current handoff (or of continuous mirroring). */
export interface SessionConversation {
  /** Unique per conversation we open; ties outbox items to this conversation. */
  handoffId: string;
  /** Set once the support system has created it. */
  conversationId?: string;
  /** The message the support system created with the conversation (left out of the next post). */
  postedWithOpen?: string;
  /** Found again after a crash: posts to it look first for what is already there. */
  recovered?: boolean;
  /** Set once transferred to a team. */
  team?: string;
  teamLabel?: string;
  transferred: boolean;
}

/**
 * One message of the human part, as the bot gets it back: what the user wrote, what an agent
 * wrote to the user, or an agent's private note.
 */
export interface HumanPartMessage {
  /** The message's id: the client's for the user's, the support system's for the agents'. */
  id?: string;
  author: 'user' | 'agent' | 'note';
  /** The text, cut at 2,000 characters; files are named in it (`[file: invoice.pdf]`). */
  text: string;
  /** The agent's name, where the support system gave one. */
  agentName?: string;
  /** ISO 8601 time the message was written (or applied, where the system gave none). */
  createdAt: string;
}

/** What the bot is told when it gets the session back from a human. */
export interface SessionReturn {
  reason: 'agent_closed' | 'user_cancelled' | 'handoff_failed' | 'no_agent';
  /** The last message the agent wrote, if any. */
  lastAgentMessage?: string;
  /** The agent's last private note (a summary for the bot), if any. */
  lastAgentNote?: string;
  /**
   * The human part, oldest first: the user's and the agents' messages and the agents' private
   * notes, bounded (the latest 50 messages, 16,000 characters in all). Absent when there was none.
   */
  transcript?: HumanPartMessage[];
  /** Messages of the human part left out of `transcript` by its bound. */
  droppedMessages?: number;
  at: string;
}

/** The pending handoff: why and where, kept until the transfer is done. */
export interface SessionHandoff {
  id: string;
  team?: string;
  teamLabel?: string;
  reason: string;
  requestedReason?: string;
  matchedSkill?: string;
  unfinishedSkills: string[];
  /** Slots the bot filled in its unfinished skills, by skill. */
  skillSlots?: Record<string, Record<string, string | number | boolean>>;
  requestedAt: string;
  topicAttempts: number;
  /** Why the team could not answer when the handoff was asked for. */
  unavailable?: 'no_agents' | 'outside_hours';
  /** What the user chose then: wait (with a timeout) or leave a message (no timeout). */
  choice?: 'wait' | 'message';
  /** A short summary of the bot conversation for the context note, when a summarizer wrote one. */
  summary?: string;
  /** Answers to the no-agent offer that named no option. */
  choiceAttempts?: number;
  /** An agent took or answered the conversation. */
  agentEngaged?: boolean;
}

/** An agent message waiting so that ones written before it, whose webhooks are late, go first. */
export interface HeldAgentMessage {
  message: OutboundMessage;
  /** The support system's time of the message, if it said. */
  writtenAt?: string;
  /** The support system's id of the message (its order among messages of the same time). */
  supportId: string;
  /** When it arrived here (ISO). */
  heldAt: string;
}

/** The conversation a session closed last. */
export interface PreviousConversation {
  handoffId: string;
  conversationId?: string;
  /** When the session left it (ISO); agent messages written before then are still relayed. */
  closedAt?: string;
  /** Agent messages already relayed from it (the latest ones), so late copies are skipped. */
  agentMessageIds?: string[];
}

/**
 * The conversation a session's support events come for, which the session stores index: the
 * current one, else the one closed last (its late webhooks, and catching up on it).
 */
export function indexedConversationId(session: HandoffSession): string | undefined {
  return session.conversation?.conversationId ?? session.previousConversation?.conversationId;
}

/** One user's session in one channel, as stored. Small on purpose: idle sessions are the bulk. */
export interface HandoffSession {
  key: string;
  channelId: string;
  userId: string;
  /** The bot session; a new one starts each time a human hands the user back. */
  sessionId: string;
  mode: SessionMode;
  profile?: UserProfile;
  /** The user's id on the support side, kept across handoffs (a returning user is not looked up again). */
  supportUserId?: string;
  /** The engine's `supportIntegration` when `supportUserId` was found, if it named one. */
  supportUserIntegration?: string;
  /** Messages not yet sent to the support system, oldest first, bounded. */
  transcript: TranscriptMessage[];
  /** Messages dropped from the front of the transcript because of its bound. */
  droppedMessages: number;
  /** The bot's unfinished skills after its last turn, innermost first. */
  unfinishedSkills: string[];
  /** Slots the bot filled in those skills, by skill. */
  unfinishedSkillSlots?: Record<string, Record<string, string | number | boolean>>;
  conversation?: SessionConversation;
  /**
   * The conversation closed last, kept so deliveries accepted before the close still reach it, and
   * so an agent's message whose webhook came after the close still reaches the user.
   */
  previousConversation?: PreviousConversation;
  handoff?: SessionHandoff;
  returned?: SessionReturn;
  lastAgentMessage?: string;
  /** The agent's last private note while a human holds the session. */
  lastAgentNote?: string;
  /** The human part so far, bounded; the bot gets it in `returned` when the human part ends. */
  humanPart?: HumanPartMessage[];
  /** Messages dropped from the front of `humanPart` because of its bound. */
  humanPartDropped?: number;
  /**
   * Support-side ids of the agent messages applied while a human holds the session (the latest
   * 500): a message arriving again (a duplicate webhook, or read back when catching up) is skipped.
   */
  agentMessageIds?: string[];
  /**
   * Agent messages waiting for the ones written before them (a system that delivers webhooks in
   * no order), sent in the system's order when their wait is over.
   */
  heldAgentMessages?: HeldAgentMessage[];
  /** The support-side id of the agent message the user got last, in the system's order (read back after it). */
  lastRelayedAgentMessageId?: string;
  /** Recently processed client message ids, newest last, bounded. */
  recentMessageIds: string[];
  /**
   * Deliveries of this session parked for good whose people were told (the user by a notice, the
   * agent by a private note), by outbox item id, the latest 50: each is told once, and once more
   * if an operator's retry gets it through after all.
   */
  undeliveredItemIds?: string[];
  createdAt: string;
  updatedAt: string;
}

/** A message the engine sends to the user's channel. */
export interface OutboundMessage {
  id: string;
  kind: 'bot' | 'agent' | 'notice';
  text: string;
  attachments?: Attachment[];
  /** The human who wrote it (agent messages). */
  agent?: { id?: string; name?: string };
  /** Which notice this is (notices only), so channels can render or translate it. */
  notice?: string;
  createdAt: string;
}

/** Encodes a channel and user into the store key of their session. */
export function sessionKey(channelId: string, userId: string): string {
  return `${encodeURIComponent(channelId)}/${encodeURIComponent(userId)}`;
}

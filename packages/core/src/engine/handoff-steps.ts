// The steps of a handoff shared by the engine's operations: recording a turn, planning and
// committing a handoff, the no-agent offer, a failed handoff, and giving the session back to the bot.

import type { NewOutboxItem } from '../contract/outbox.js';
import type { TeamAvailability } from '../contract/support-adapter.js';
import type { SupportCapabilities } from '../contract/support-capabilities.js';
import type { RoutingDecision } from '../routing/skill-router.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import type {
  HandoffSession,
  OutboundMessage,
  SessionHandoff,
  SessionReturn,
} from '../session/handoff-session.js';
import { humanPartText, recordHumanPart } from '../session/human-part.js';
import { appendToTranscript, returnSessionToBot } from '../session/session-transitions.js';
import type { AgentMessageOrder } from './agent-message-order.js';
import type { ChannelQueue } from './channel-enqueue.js';
import { buildContextNote } from './context-note.js';
import { type OutboxPayloads, supportItem, timerLane } from './engine-outbox-items.js';
import type { EngineTelemetryEvent, TranscriptMode } from './engine-types.js';
import type { NoticeWriter } from './notice-writer.js';
import { formatTopicList } from './notices.js';

/** What a handoff starts from besides the routing decision. */
interface HandoffContext {
  handoffId: string;
  unfinishedSkills: string[];
  skillSlots?: SessionHandoff['skillSlots'] | undefined;
  requestedReason?: string | undefined;
  /** The summary of the bot conversation the context note opens with, if one was written. */
  summary?: string | undefined;
  /** Whether the decision's team can answer now (checked before the write); unknown: assume so. */
  availability?: TeamAvailability | undefined;
}

export interface HandoffStepsSettings {
  /** Read at each transfer: `labels` puts the transfer labels on the conversation. */
  support: { readonly capabilities: Pick<SupportCapabilities, 'labels'> };
  transcriptMode: TranscriptMode;
  /** Most bot-conversation messages kept for the handoff. */
  maxTranscript: number;
  transferLabels: readonly string[];
  /** How long a user who chose to wait waits before the bot takes over again; 0: forever. */
  waitTimeoutMs: number;
  agentMessages: Pick<AgentMessageOrder, 'releaseHeld'>;
  channelQueue: ChannelQueue;
  notices: NoticeWriter;
  now: () => Date;
  generateId: () => string;
  telemetry: (event: EngineTelemetryEvent) => void;
}

/** Each step changes the session in place and adds the deliveries it implies to `items`. */
export interface HandoffSteps {
  /** Sends the messages of a turn where they belong for the session's mode. */
  recordTurn(
    session: HandoffSession,
    messages: TranscriptMessage[],
    handoffId: string,
    items: NewOutboxItem[],
  ): void;
  /**
   * Starts the handoff a routing decision asks for: the topic question, the no-agent offer when the
   * team cannot answer now, or the transfer. Returns the notice for the user.
   */
  planHandoff(
    session: HandoffSession,
    decision: RoutingDecision,
    handoffContext: HandoffContext,
    items: NewOutboxItem[],
  ): OutboundMessage;
  /** The user's answer to the no-agent offer: wait, leave a message, back to the bot, or asks again. */
  answerNoAgentOffer(
    session: HandoffSession,
    text: string,
    messageId: string,
    items: NewOutboxItem[],
  ): OutboundMessage;
  /**
   * The conversation could not be opened or transferred (its delivery was parked): the bot takes
   * over, and a user who was waiting for the team is told.
   */
  failHandoff(session: HandoffSession, handoffId: string, reason: string, items: NewOutboxItem[]): void;
  /** Ends the human part: closes the support conversation (if any) and gives the session back to the bot. */
  giveBackToBot(
    session: HandoffSession,
    reason: SessionReturn['reason'],
    items: NewOutboxItem[],
    note?: string,
  ): void;
}

/** Opens the conversation (for continuous mirroring, or at a handoff) when there is none yet. */
function ensureConversation(session: HandoffSession, handoffId: string, items: NewOutboxItem[]): string {
  if (session.conversation !== undefined) return session.conversation.handoffId;
  session.conversation = { handoffId, transferred: false };
  items.push(supportItem('support.open', handoffId, { key: session.key, handoffId }));
  return handoffId;
}

const waitAnswers = /^(1|wait|i('| wi)ll wait|ok(ay)?,? (i('| wi)ll )?wait)$/i;
const messageAnswers = /^(2|message|leave( a)? message|(i('| wi)ll )?leave a message)$/i;
const botAnswers = /^(3|bot|back|the bot|go back)$/i;

export function createHandoffSteps(settings: HandoffStepsSettings): HandoffSteps {
  const { notices, channelQueue, now, generateId, telemetry } = settings;

  const recordTurn: HandoffSteps['recordTurn'] = (session, messages, handoffId, items) => {
    const first = messages[0];
    if (first === undefined) return;
    const mirrored = session.mode === 'human' && session.conversation !== undefined;
    if (session.mode === 'human') {
      for (const message of messages) {
        if (message.author !== 'user') continue;
        recordHumanPart(session, {
          id: message.id,
          author: 'user',
          text: humanPartText(message.text, message.attachments),
          createdAt: message.createdAt,
        });
      }
    }
    if (mirrored || settings.transcriptMode === 'continuous') {
      const conversationHandoffId = mirrored
        ? (session.conversation?.handoffId ?? handoffId)
        : ensureConversation(session, handoffId, items);
      items.push(
        supportItem('support.post', `${conversationHandoffId}:${first.id}`, {
          key: session.key,
          handoffId: conversationHandoffId,
          messages,
          ...(session.mode === 'bot' ? { mirror: true as const } : {}),
        }),
      );
      if (mirrored) {
        telemetry({
          type: 'message.relayed',
          key: session.key,
          direction: 'to-support',
          count: messages.length,
        });
      }
      return;
    }
    appendToTranscript(session, messages, settings.maxTranscript);
  };

  /**
   * Hands the conversation to the team of `session.handoff`: opens it if needed, posts the bot
   * conversation, transfers with the context note, and arms the wait timer if the user chose to wait.
   */
  const commitTransfer = (session: HandoffSession, items: NewOutboxItem[]): void => {
    const handoff = session.handoff;
    if (handoff?.team === undefined) throw new Error('a transfer needs a planned handoff with a team');
    const opening = session.conversation === undefined;
    const handoffId = ensureConversation(session, session.conversation?.handoffId ?? handoff.id, items);
    handoff.id = handoffId;
    const firstMessage = session.transcript[0];
    if (opening && firstMessage !== undefined) {
      // Opened for this handoff: the system may create the conversation with its first message.
      const open = items.findLast((item) => item.kind === 'support.open');
      if (open !== undefined) (open.payload as OutboxPayloads['support.open']).firstMessage = firstMessage;
    }
    const conversation = session.conversation as NonNullable<HandoffSession['conversation']>;
    conversation.team = handoff.team;
    if (handoff.teamLabel !== undefined) conversation.teamLabel = handoff.teamLabel;
    if (session.transcript.length > 0) {
      items.push(
        supportItem('support.post', `${handoffId}:transcript`, {
          key: session.key,
          handoffId,
          messages: session.transcript,
        }),
      );
    }
    const note = buildContextNote({
      handoff,
      userId: session.userId,
      sessionId: session.sessionId,
      droppedMessages: session.droppedMessages,
      ...(session.profile === undefined ? {} : { profile: session.profile }),
    });
    const labels = settings.support.capabilities.labels ? settings.transferLabels : [];
    items.push(
      supportItem('support.transfer', handoffId, {
        key: session.key,
        handoffId,
        team: handoff.team,
        note,
        ...(labels.length === 0 ? {} : { labels: [...labels] }),
      }),
    );
    if (handoff.choice === 'wait' && settings.waitTimeoutMs > 0) {
      items.push({
        id: `session.wait-timeout:${handoffId}`,
        lane: timerLane(session.key),
        kind: 'session.wait-timeout',
        payload: { key: session.key, handoffId },
        availableAt: now().getTime() + settings.waitTimeoutMs,
      });
    }
    session.transcript = [];
    session.droppedMessages = 0;
    session.mode = 'human';
  };

  const planHandoff: HandoffSteps['planHandoff'] = (session, decision, handoffContext, items) => {
    const base: Omit<SessionHandoff, 'id'> = {
      unfinishedSkills: handoffContext.unfinishedSkills,
      requestedAt: now().toISOString(),
      reason: decision.reason.text,
      topicAttempts: 0,
      ...(handoffContext.skillSlots === undefined ? {} : { skillSlots: handoffContext.skillSlots }),
      ...(handoffContext.requestedReason === undefined
        ? {}
        : { requestedReason: handoffContext.requestedReason }),
      ...(handoffContext.summary === undefined ? {} : { summary: handoffContext.summary }),
    };
    const handoffId = session.conversation?.handoffId ?? session.handoff?.id ?? handoffContext.handoffId;
    if (decision.action === 'ask') {
      session.mode = 'choosing-team';
      session.handoff = { id: handoffId, ...base };
      telemetry({ type: 'handoff.requested', key: session.key, rule: 'ask' });
      return notices.notice(session, 'askTopic', `ask-topic:${handoffId}:${generateId()}`, {
        topics: formatTopicList(decision.topics.map((topic) => topic.label)),
      });
    }
    const target = decision.target;
    session.handoff = {
      id: handoffId,
      team: target.team,
      ...(target.label === undefined ? {} : { teamLabel: target.label }),
      ...(decision.reason.rule === 'skill' ? { matchedSkill: decision.reason.skill } : {}),
      ...base,
    };
    telemetry({
      type: 'handoff.requested',
      key: session.key,
      rule: decision.reason.rule,
      team: target.team,
    });
    const team = notices.teamName(target.team, target.label);
    const availability = handoffContext.availability;
    if (availability !== undefined && !availability.available) {
      const reason = availability.reason ?? 'no_agents';
      session.handoff.unavailable = reason;
      session.mode = 'no-agent';
      telemetry({ type: 'handoff.unavailable', key: session.key, team: target.team, reason });
      return notices.notice(
        session,
        reason === 'outside_hours' ? 'outsideBusinessHours' : 'noAgentOnline',
        `no-agent:${handoffId}:${generateId()}`,
        { team },
      );
    }
    commitTransfer(session, items);
    return notices.notice(session, 'handoffAccepted', `handoff-accepted:${handoffId}`, { team });
  };

  const giveBackToBot: HandoffSteps['giveBackToBot'] = (session, reason, items, note) => {
    // Agent messages still waiting for earlier ones go now, before whatever says the human part ended.
    settings.agentMessages.releaseHeld(session, items, { all: true });
    const conversation = session.conversation;
    if (conversation !== undefined && reason !== 'agent_closed') {
      items.push(
        supportItem('support.close', conversation.handoffId, {
          key: session.key,
          handoffId: conversation.handoffId,
          ...(conversation.conversationId === undefined
            ? {}
            : { conversationId: conversation.conversationId }),
          ...(note === undefined ? {} : { note }),
        }),
      );
    }
    returnSessionToBot(session, { sessionId: generateId(), reason, now: now().toISOString() });
    telemetry({ type: 'session.returned', key: session.key, reason });
  };

  const answerNoAgentOffer: HandoffSteps['answerNoAgentOffer'] = (session, text, messageId, items) => {
    const handoff = session.handoff as SessionHandoff;
    const team = notices.teamName(handoff.team, handoff.teamLabel);
    const answer = text.trim();
    if (botAnswers.test(answer)) {
      giveBackToBot(session, 'no_agent', items);
      return notices.notice(session, 'returnedToBot', `returned:${messageId}`);
    }
    let choice: 'wait' | 'message' | undefined = waitAnswers.test(answer)
      ? 'wait'
      : messageAnswers.test(answer)
        ? 'message'
        : undefined;
    if (choice === undefined) {
      handoff.choiceAttempts = (handoff.choiceAttempts ?? 0) + 1;
      // Twice no option named: take what they wrote as the message they leave.
      if (handoff.choiceAttempts < 2)
        return notices.notice(session, 'optionNotUnderstood', `option-retry:${messageId}`);
      choice = 'message';
    }
    handoff.choice = choice;
    commitTransfer(session, items);
    return notices.notice(
      session,
      choice === 'wait' ? 'waitAccepted' : 'messageInvited',
      `${choice}:${handoff.id}`,
      {
        team,
      },
    );
  };

  const failHandoff: HandoffSteps['failHandoff'] = (session, handoffId, reason, items) => {
    const wasWithHuman = session.mode !== 'bot';
    const team = notices.teamName(session.conversation?.team, session.conversation?.teamLabel);
    giveBackToBot(session, 'handoff_failed', items);
    telemetry({ type: 'handoff.failed', key: session.key, reason });
    if (wasWithHuman) {
      channelQueue.enqueue(
        session,
        notices.notice(session, 'handoffFailed', `handoff-failed:${handoffId}`, { team }),
        items,
      );
    }
  };

  return { recordTurn, planHandoff, answerNoAgentOffer, failHandoff, giveBackToBot };
}

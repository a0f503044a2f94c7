import type { NewOutboxItem } from '../contract/outbox.js';
import type { TeamAvailability } from '../contract/support-adapter.js';
import type { RoutingDecision } from '../routing/skill-router.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import type {
  HandoffSession,
  OutboundMessage,
  SessionHandoff,
  SessionReturn,
} from '../session/handoff-session.js';
import { appendToTranscript, returnSessionToBot } from '../session/session-transitions.js';
import { releaseHeldAgentMessages } from './agent-message-order.js';
import { buildContextNote } from './context-note.js';
import type { EngineContext } from './engine-context.js';
import { type OutboxPayloads, supportItem, timerLane } from './engine-outbox-items.js';
import { formatTopicList } from './notices.js';

/** What a handoff starts from besides the routing decision. */
export interface HandoffContext {
  handoffId: string;
  unfinishedSkills: string[];
  skillSlots?: SessionHandoff['skillSlots'] | undefined;
  requestedReason?: string | undefined;
  /** Whether the decision's team can answer now (checked before the write); unknown: assume so. */
  availability?: TeamAvailability | undefined;
}

/** Opens the conversation (for continuous mirroring, or at a handoff) when there is none yet. */
function ensureConversation(session: HandoffSession, handoffId: string, items: NewOutboxItem[]): string {
  if (session.conversation !== undefined) return session.conversation.handoffId;
  session.conversation = { handoffId, transferred: false };
  items.push(supportItem('support.open', handoffId, { key: session.key, handoffId }));
  return handoffId;
}

/** Sends the messages of a turn where they belong for the session's mode. */
export function recordTurn(
  context: EngineContext,
  session: HandoffSession,
  messages: TranscriptMessage[],
  handoffId: string,
  items: NewOutboxItem[],
): void {
  const first = messages[0];
  if (first === undefined) return;
  const mirrored = session.mode === 'human' && session.conversation !== undefined;
  if (mirrored || context.transcriptMode === 'continuous') {
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
      context.telemetry({
        type: 'message.relayed',
        key: session.key,
        direction: 'to-support',
        count: messages.length,
      });
    }
    return;
  }
  appendToTranscript(session, messages, context.maxTranscript);
}

/**
 * Hands the conversation to the team of `session.handoff`: opens it if needed, posts the bot
 * conversation, transfers with the context note, and arms the wait timer if the user chose to wait.
 */
function commitTransfer(context: EngineContext, session: HandoffSession, items: NewOutboxItem[]): void {
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
  const labels = context.support.capabilities.labels ? context.transferLabels : [];
  items.push(
    supportItem('support.transfer', handoffId, {
      key: session.key,
      handoffId,
      team: handoff.team,
      note,
      ...(labels.length === 0 ? {} : { labels: [...labels] }),
    }),
  );
  if (handoff.choice === 'wait' && context.waitTimeoutMs > 0) {
    items.push({
      id: `session.wait-timeout:${handoffId}`,
      lane: timerLane(session.key),
      kind: 'session.wait-timeout',
      payload: { key: session.key, handoffId },
      availableAt: context.now().getTime() + context.waitTimeoutMs,
    });
  }
  session.transcript = [];
  session.droppedMessages = 0;
  session.mode = 'human';
}

/**
 * Starts the handoff a routing decision asks for: the topic question, the no-agent offer when the
 * team cannot answer now, or the transfer. Returns the notice for the user.
 */
export function planHandoff(
  context: EngineContext,
  session: HandoffSession,
  decision: RoutingDecision,
  handoffContext: HandoffContext,
  items: NewOutboxItem[],
): OutboundMessage {
  const base: Omit<SessionHandoff, 'id'> = {
    unfinishedSkills: handoffContext.unfinishedSkills,
    requestedAt: context.now().toISOString(),
    reason: decision.reason.text,
    topicAttempts: 0,
    ...(handoffContext.skillSlots === undefined ? {} : { skillSlots: handoffContext.skillSlots }),
    ...(handoffContext.requestedReason === undefined
      ? {}
      : { requestedReason: handoffContext.requestedReason }),
  };
  const handoffId = session.conversation?.handoffId ?? session.handoff?.id ?? handoffContext.handoffId;
  if (decision.action === 'ask') {
    session.mode = 'choosing-team';
    session.handoff = { id: handoffId, ...base };
    context.telemetry({ type: 'handoff.requested', key: session.key, rule: 'ask' });
    return context.notice(session, 'askTopic', `ask-topic:${handoffId}:${context.generateId()}`, {
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
  context.telemetry({
    type: 'handoff.requested',
    key: session.key,
    rule: decision.reason.rule,
    team: target.team,
  });
  const team = context.teamName(target.team, target.label);
  const availability = handoffContext.availability;
  if (availability !== undefined && !availability.available) {
    const reason = availability.reason ?? 'no_agents';
    session.handoff.unavailable = reason;
    session.mode = 'no-agent';
    context.telemetry({ type: 'handoff.unavailable', key: session.key, team: target.team, reason });
    return context.notice(
      session,
      reason === 'outside_hours' ? 'outsideBusinessHours' : 'noAgentOnline',
      `no-agent:${handoffId}:${context.generateId()}`,
      { team },
    );
  }
  commitTransfer(context, session, items);
  return context.notice(session, 'handoffAccepted', `handoff-accepted:${handoffId}`, { team });
}

const waitAnswers = /^(1|wait|i('| wi)ll wait|ok(ay)?,? (i('| wi)ll )?wait)$/i;
const messageAnswers = /^(2|message|leave( a)? message|(i('| wi)ll )?leave a message)$/i;
const botAnswers = /^(3|bot|back|the bot|go back)$/i;

/** The user's answer to the no-agent offer: wait, leave a message, back to the bot, or asks again. */
export function answerNoAgentOffer(
  context: EngineContext,
  session: HandoffSession,
  text: string,
  messageId: string,
  items: NewOutboxItem[],
): OutboundMessage {
  const handoff = session.handoff as SessionHandoff;
  const team = context.teamName(handoff.team, handoff.teamLabel);
  const answer = text.trim();
  if (botAnswers.test(answer)) {
    giveBackToBot(context, session, 'no_agent', items);
    return context.notice(session, 'returnedToBot', `returned:${messageId}`);
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
      return context.notice(session, 'optionNotUnderstood', `option-retry:${messageId}`);
    choice = 'message';
  }
  handoff.choice = choice;
  commitTransfer(context, session, items);
  return context.notice(
    session,
    choice === 'wait' ? 'waitAccepted' : 'messageInvited',
    `${choice}:${handoff.id}`,
    {
      team,
    },
  );
}

/** Ends the human part: closes the support conversation (if any) and gives the session back to the bot. */
export function giveBackToBot(
  context: EngineContext,
  session: HandoffSession,
  reason: SessionReturn['reason'],
  items: NewOutboxItem[],
  note?: string,
): void {
  // Agent messages still waiting for earlier ones go now, before whatever says the human part ended.
  releaseHeldAgentMessages(context, session, items, { all: true });
  const conversation = session.conversation;
  if (conversation !== undefined && reason !== 'agent_closed') {
    items.push(
      supportItem('support.close', conversation.handoffId, {
        key: session.key,
        handoffId: conversation.handoffId,
        ...(conversation.conversationId === undefined ? {} : { conversationId: conversation.conversationId }),
        ...(note === undefined ? {} : { note }),
      }),
    );
  }
  returnSessionToBot(session, { sessionId: context.generateId(), reason, now: context.now().toISOString() });
  context.telemetry({ type: 'session.returned', key: session.key, reason });
}

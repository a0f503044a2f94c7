import type { NewOutboxItem } from '../contract/outbox.js';
import type { AgentMessageEvent } from '../schemas/support-event.js';
import type { HandoffSession, OutboundMessage } from '../session/handoff-session.js';
import { enqueueForChannel } from './channel-enqueue.js';
import type { EngineContext } from './engine-context.js';
import { timerLane } from './engine-outbox-items.js';

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

/** Milliseconds of a time, and whether it was given to the second only (REST answers often are). */
function timeOf(entry: HeldAgentMessage): { ms: number; wholeSeconds: boolean } | undefined {
  if (entry.writtenAt === undefined) return undefined;
  const ms = Date.parse(entry.writtenAt);
  return Number.isNaN(ms) ? undefined : { ms, wholeSeconds: ms % 1_000 === 0 };
}

/**
 * The support system's order: its time, compared at the coarser precision of the two (a message
 * read back over REST may carry whole seconds, its webhook milliseconds), then its ids
 * (numerically when both are numbers, as Chatwoot's ever-growing message ids are).
 */
function supportOrder(left: HeldAgentMessage, right: HeldAgentMessage): number {
  const leftTime = timeOf(left);
  const rightTime = timeOf(right);
  if (leftTime !== undefined && rightTime !== undefined) {
    const coarse = leftTime.wholeSeconds || rightTime.wholeSeconds;
    const leftValue = coarse ? Math.floor(leftTime.ms / 1_000) : leftTime.ms;
    const rightValue = coarse ? Math.floor(rightTime.ms / 1_000) : rightTime.ms;
    if (leftValue !== rightValue) return leftValue - rightValue;
  }
  if (/^\d+$/.test(left.supportId) && /^\d+$/.test(right.supportId))
    return Number(left.supportId) - Number(right.supportId);
  return left.supportId.localeCompare(right.supportId);
}

const rememberedAgentMessages = 500;

/** How the ids of the user's copies of a conversation's agent messages begin. */
export function agentOutboundIdPrefix(conversationId: string): string {
  return `agent:${conversationId}:`;
}

/** The user's copy of an agent message. */
export function agentOutbound(context: EngineContext, event: AgentMessageEvent): OutboundMessage {
  return {
    id: `${agentOutboundIdPrefix(event.conversationId)}${event.message.id}`,
    kind: 'agent',
    text: event.message.text,
    ...(event.message.attachments === undefined ? {} : { attachments: event.message.attachments }),
    agent: event.agent,
    createdAt: event.occurredAt ?? context.now().toISOString(),
  };
}

/** Whether agent messages wait for earlier ones before they go to the user. */
const holdsAgentMessages = (context: EngineContext) =>
  context.support.capabilities.orderedWebhooks === false && context.reorderWindowMs > 0;

/**
 * An agent message of the session's current conversation, seen for the first time: the human holds
 * the session and the user gets it. A system whose webhooks arrive in any order (capability
 * `orderedWebhooks: false`, Chatwoot's concurrent jobs) has it wait `reorderWindowMs` with the
 * others of the session, and a timer then sends them in the system's order; otherwise it goes now.
 * `due` (read back from the system) makes it wait no longer than what it sorts before. Answers
 * false for a message already seen.
 */
export function acceptAgentMessage(
  context: EngineContext,
  session: HandoffSession,
  event: AgentMessageEvent,
  items: NewOutboxItem[],
  options: { due?: boolean } = {},
): boolean {
  const seen = session.agentMessageIds ?? [];
  if (seen.includes(event.message.id)) return false;
  session.agentMessageIds = [...seen, event.message.id].slice(-rememberedAgentMessages);
  // An agent writing takes the session, even before a transfer (continuous mirroring).
  session.mode = 'human';
  if (session.handoff !== undefined) session.handoff.agentEngaged = true;
  if (event.message.text.length > 0) session.lastAgentMessage = event.message.text.slice(0, 2_000);
  const message = agentOutbound(context, event);
  if (!holdsAgentMessages(context)) {
    enqueueForChannel(context, session, message, items);
    session.lastRelayedAgentMessageId = event.message.id;
    return true;
  }
  const now = context.now();
  session.heldAgentMessages = [
    ...(session.heldAgentMessages ?? []),
    {
      message,
      ...(event.occurredAt === undefined ? {} : { writtenAt: event.occurredAt }),
      supportId: event.message.id,
      heldAt: options.due === true ? new Date(0).toISOString() : now.toISOString(),
    },
  ];
  if (options.due === true) return true;
  items.push({
    id: `session.release-agent-messages:${session.key}:${event.message.id}`,
    lane: timerLane(session.key),
    kind: 'session.release-agent-messages',
    payload: { key: session.key },
    availableAt: now.getTime() + context.reorderWindowMs,
  });
  return true;
}

/**
 * Sends the held agent messages that waited long enough, and every held one the system wrote
 * before them, in the system's order. `all` sends every held message (the human part is ending:
 * they go before the notice that says so).
 */
export function releaseHeldAgentMessages(
  context: EngineContext,
  session: HandoffSession,
  items: NewOutboxItem[],
  options: { all?: boolean } = {},
): boolean {
  const held = session.heldAgentMessages;
  if (held === undefined || held.length === 0) return false;
  const sorted = [...held].sort(supportOrder);
  const dueBefore = context.now().getTime() - context.reorderWindowMs;
  const lastDue = options.all
    ? sorted.length - 1
    : sorted.findLastIndex((entry) => Date.parse(entry.heldAt) <= dueBefore);
  if (lastDue < 0) return false;
  for (const entry of sorted.slice(0, lastDue + 1)) {
    enqueueForChannel(context, session, entry.message, items);
    session.lastRelayedAgentMessageId = entry.supportId;
  }
  const kept = sorted.slice(lastDue + 1);
  if (kept.length === 0) delete session.heldAgentMessages;
  else session.heldAgentMessages = kept;
  return true;
}

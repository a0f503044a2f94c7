import type { AgentMessageEvent } from '../schemas/support-event.js';
import { enqueueForChannel } from './channel-enqueue.js';
import type { EngineContext } from './engine-context.js';
import type { HandoffSession, OutboundMessage } from './handoff-session.js';
import type { NewOutboxItem } from './outbox.js';
import { timerLane } from './outbox-items.js';

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

/** The support system's order: its time, then its ids (numerically when both are numbers). */
function supportOrder(left: HeldAgentMessage, right: HeldAgentMessage): number {
  const leftTime = left.writtenAt === undefined ? Number.NaN : Date.parse(left.writtenAt);
  const rightTime = right.writtenAt === undefined ? Number.NaN : Date.parse(right.writtenAt);
  if (!Number.isNaN(leftTime) && !Number.isNaN(rightTime) && leftTime !== rightTime)
    return leftTime - rightTime;
  if (/^\d+$/.test(left.supportId) && /^\d+$/.test(right.supportId))
    return Number(left.supportId) - Number(right.supportId);
  return left.supportId.localeCompare(right.supportId);
}

/**
 * An agent message for the user. A system whose webhooks arrive in any order (capability
 * `orderedWebhooks: false`, Chatwoot's concurrent jobs) has it wait `reorderWindowMs` with the
 * others of the session, and a timer then sends them in the system's order; otherwise it goes now.
 */
export function relayAgentMessage(
  context: EngineContext,
  session: HandoffSession,
  event: AgentMessageEvent,
  message: OutboundMessage,
  items: NewOutboxItem[],
): void {
  if (context.support.capabilities.orderedWebhooks !== false || context.reorderWindowMs <= 0) {
    enqueueForChannel(context, session, message, items);
    return;
  }
  const now = context.now();
  session.heldAgentMessages = [
    ...(session.heldAgentMessages ?? []),
    {
      message,
      ...(event.occurredAt === undefined ? {} : { writtenAt: event.occurredAt }),
      supportId: event.message.id,
      heldAt: now.toISOString(),
    },
  ];
  items.push({
    id: `session.release-agent-messages:${session.key}:${event.message.id}`,
    lane: timerLane(session.key),
    kind: 'session.release-agent-messages',
    payload: { key: session.key },
    availableAt: now.getTime() + context.reorderWindowMs,
  });
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
  for (const entry of sorted.slice(0, lastDue + 1)) enqueueForChannel(context, session, entry.message, items);
  const kept = sorted.slice(lastDue + 1);
  if (kept.length === 0) delete session.heldAgentMessages;
  else session.heldAgentMessages = kept;
  return true;
}

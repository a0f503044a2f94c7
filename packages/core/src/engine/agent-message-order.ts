// The order agent messages reach the user in: held a moment when the support system delivers
// webhooks in no order, then sent in the system's order.

import type { NewOutboxItem } from '../contract/outbox.js';
import type { SupportCapabilities } from '../contract/support-capabilities.js';
import type { AgentMessageEvent } from '../schemas/support-event.js';
import type { HandoffSession, HeldAgentMessage, OutboundMessage } from '../session/handoff-session.js';
import { humanPartText, recordHumanPart } from '../session/human-part.js';
import type { ChannelQueue } from './channel-enqueue.js';
import { timerLane } from './engine-outbox-items.js';

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

export interface AgentMessageOrderSettings {
  /** Read at each message: `orderedWebhooks: false` makes agent messages wait for earlier ones. */
  support: { readonly capabilities: Pick<SupportCapabilities, 'orderedWebhooks'> };
  /** How long agent messages of an unordered system wait for earlier ones. */
  reorderWindowMs: number;
  channelQueue: ChannelQueue;
  now: () => Date;
}

export interface AgentMessageOrder {
  /** The user's copy of an agent message. */
  outbound(event: AgentMessageEvent): OutboundMessage;
  /**
   * An agent message of the session's current conversation, seen for the first time: the human holds
   * the session and the user gets it. A system whose webhooks arrive in any order (capability
   * `orderedWebhooks: false`, Chatwoot's concurrent jobs) has it wait `reorderWindowMs` with the
   * others of the session, and a timer then sends them in the system's order; otherwise it goes now.
   * `due` (read back from the system) makes it wait no longer than what it sorts before. Answers
   * false for a message already seen.
   */
  accept(
    session: HandoffSession,
    event: AgentMessageEvent,
    items: NewOutboxItem[],
    options?: { due?: boolean },
  ): boolean;
  /**
   * Sends the held agent messages that waited long enough, and every held one the system wrote
   * before them, in the system's order. `all` sends every held message (the human part is ending:
   * they go before the notice that says so).
   */
  releaseHeld(session: HandoffSession, items: NewOutboxItem[], options?: { all?: boolean }): boolean;
}

export function createAgentMessageOrder(settings: AgentMessageOrderSettings): AgentMessageOrder {
  const { channelQueue, now: clock } = settings;

  const outbound = (event: AgentMessageEvent): OutboundMessage => ({
    id: `${agentOutboundIdPrefix(event.conversationId)}${event.message.id}`,
    kind: 'agent',
    text: event.message.text,
    ...(event.message.attachments === undefined ? {} : { attachments: event.message.attachments }),
    agent: event.agent,
    createdAt: event.occurredAt ?? clock().toISOString(),
  });

  /** Whether agent messages wait for earlier ones before they go to the user. */
  const holdsAgentMessages = () =>
    settings.support.capabilities.orderedWebhooks === false && settings.reorderWindowMs > 0;

  return {
    outbound,
    accept(session, event, items, options = {}) {
      const seen = session.agentMessageIds ?? [];
      if (seen.includes(event.message.id)) return false;
      session.agentMessageIds = [...seen, event.message.id].slice(-rememberedAgentMessages);
      // An agent writing takes the session, even before a transfer (continuous mirroring).
      session.mode = 'human';
      if (session.handoff !== undefined) session.handoff.agentEngaged = true;
      if (event.message.text.length > 0) session.lastAgentMessage = event.message.text.slice(0, 2_000);
      recordHumanPart(session, {
        id: event.message.id,
        author: 'agent',
        text: humanPartText(event.message.text, event.message.attachments),
        ...(event.agent?.name === undefined ? {} : { agentName: event.agent.name }),
        createdAt: event.occurredAt ?? clock().toISOString(),
      });
      const message = outbound(event);
      if (!holdsAgentMessages()) {
        channelQueue.enqueue(session, message, items);
        session.lastRelayedAgentMessageId = event.message.id;
        return true;
      }
      const now = clock();
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
        availableAt: now.getTime() + settings.reorderWindowMs,
      });
      return true;
    },
    releaseHeld(session, items, options = {}) {
      const held = session.heldAgentMessages;
      if (held === undefined || held.length === 0) return false;
      const sorted = [...held].sort(supportOrder);
      const dueBefore = clock().getTime() - settings.reorderWindowMs;
      const lastDue = options.all
        ? sorted.length - 1
        : sorted.findLastIndex((entry) => Date.parse(entry.heldAt) <= dueBefore);
      if (lastDue < 0) return false;
      for (const entry of sorted.slice(0, lastDue + 1)) {
        channelQueue.enqueue(session, entry.message, items);
        session.lastRelayedAgentMessageId = entry.supportId;
      }
      const kept = sorted.slice(lastDue + 1);
      if (kept.length === 0) delete session.heldAgentMessages;
      else session.heldAgentMessages = kept;
      return true;
    },
  };
}

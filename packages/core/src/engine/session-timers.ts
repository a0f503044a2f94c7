// The timers of a session: the wait of a user who chose to wait for a team, and the release of
// agent messages held for ones written before them.

import type { NewOutboxItem } from '../contract/outbox.js';
import type { SessionStore } from '../contract/session-store.js';
import type { SupportAdapter } from '../contract/support-adapter.js';
import { isSupportError } from '../errors/support-error.js';
import type { AgentMessageEvent } from '../schemas/support-event.js';
import type { KeyedMutex } from '../session/keyed-mutex.js';
import type { SessionUpdater } from '../session/session-updates.js';
import type { AgentMessageOrder } from './agent-message-order.js';
import type { ChannelQueue } from './channel-enqueue.js';
import type { OutboxPayloads } from './engine-outbox-items.js';
import type { EngineTelemetryEvent } from './engine-types.js';
import type { HandoffSteps } from './handoff-steps.js';
import type { NoticeWriter } from './notice-writer.js';

export interface SessionTimersSettings {
  support: Pick<SupportAdapter, 'capabilities' | 'syncConversation'>;
  sessions: Pick<SessionStore, 'get'>;
  updater: SessionUpdater;
  mutex: KeyedMutex;
  agentMessages: Pick<AgentMessageOrder, 'accept' | 'releaseHeld'>;
  steps: Pick<HandoffSteps, 'giveBackToBot'>;
  channelQueue: ChannelQueue;
  notices: NoticeWriter;
  /** How long a user who chose to wait waits (for the note that says so). */
  waitTimeoutMs: number;
  telemetry: (event: EngineTelemetryEvent) => void;
}

export interface SessionTimers {
  /** The wait timer of a user who chose to wait: nobody answered in time, the bot takes over. */
  waitTimedOut(payload: OutboxPayloads['session.wait-timeout']): Promise<void>;
  /**
   * Held agent messages of a session whose wait is over go to the user, in the system's order.
   * First, a system that can be read back (capability `catchUp`) is asked what it has after the
   * last message the user got: one whose webhook is late or was lost is sent in its place, not
   * after. If the system cannot be read now, what is held goes anyway.
   */
  releaseAgentMessages(
    payload: OutboxPayloads['session.release-agent-messages'],
    signal: AbortSignal,
  ): Promise<void>;
}

export function createSessionTimers(settings: SessionTimersSettings): SessionTimers {
  const { support, sessions, updater, mutex, agentMessages, steps, channelQueue, notices, telemetry } =
    settings;
  const load = async (key: string) => (await sessions.get(key))?.session;

  return {
    releaseAgentMessages: (payload, signal) =>
      mutex.run(payload.key, async () => {
        const before = await load(payload.key);
        const conversationId = before?.conversation?.conversationId;
        let readBack: AgentMessageEvent[] = [];
        const sync = support.syncConversation?.bind(support);
        if (
          sync !== undefined &&
          support.capabilities.catchUp &&
          (before?.heldAgentMessages?.length ?? 0) > 0 &&
          conversationId !== undefined
        ) {
          try {
            const { events } = await sync({
              conversationId,
              ...(before?.lastRelayedAgentMessageId === undefined
                ? {}
                : { afterMessageId: before.lastRelayedAgentMessageId }),
              signal,
            });
            readBack = events.filter((event): event is AgentMessageEvent => event.type === 'agent.message');
          } catch (error) {
            telemetry({
              type: 'catch-up.failed',
              conversationId,
              error: isSupportError(error) ? error.code : error instanceof Error ? error.name : 'error',
            });
          }
        }
        await updater.update<void>(payload.key, (session) => {
          if (session === undefined) return { skip: undefined };
          const items: NewOutboxItem[] = [];
          let changed = false;
          for (const event of readBack) {
            if (session.conversation?.conversationId !== event.conversationId) continue;
            changed = agentMessages.accept(session, event, items, { due: true }) || changed;
          }
          // What the system was read back with has nothing unseen before it any more: held messages
          // it contains go now, not each after its own wait (one read-back per burst, not per message).
          const readBackIds = new Set(readBack.map((event) => event.message.id));
          for (const held of session.heldAgentMessages ?? []) {
            if (readBackIds.has(held.supportId)) held.heldAt = new Date(0).toISOString();
          }
          changed = agentMessages.releaseHeld(session, items) || changed;
          return changed ? { session, items, result: undefined } : { skip: undefined };
        });
      }),

    waitTimedOut: (payload) =>
      mutex.run(payload.key, () =>
        updater.update<void>(payload.key, (session) => {
          const handoff = session?.handoff;
          if (session?.mode !== 'human' || handoff?.id !== payload.handoffId || handoff.agentEngaged)
            return { skip: undefined };
          const items: NewOutboxItem[] = [];
          const team = notices.teamName(handoff.team, handoff.teamLabel);
          const waited = settings.waitTimeoutMs;
          const duration =
            waited < 60_000
              ? `${Math.max(1, Math.round(waited / 1000))} s`
              : `${Math.round(waited / 60_000)} min`;
          steps.giveBackToBot(
            session,
            'no_agent',
            items,
            `Nobody answered within ${duration}; the user went back to the bot.`,
          );
          channelQueue.enqueue(
            session,
            notices.notice(session, 'waitTimedOut', `wait-timed-out:${payload.handoffId}`, { team }),
            items,
          );
          return { session, items, result: undefined };
        }),
      ),
  };
}

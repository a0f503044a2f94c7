// Applying verified support events to the sessions they concern: agent messages, notes, typing,
// assignment and closing.

import type { ChannelSink } from '../contract/channel-sink.js';
import type { NewOutboxItem } from '../contract/outbox.js';
import type { SessionStore } from '../contract/session-store.js';
import type { SupportAdapter } from '../contract/support-adapter.js';
import { isSupportError } from '../errors/support-error.js';
import type { AgentMessageEvent, SupportEvent } from '../schemas/support-event.js';
import type { HandoffSession } from '../session/handoff-session.js';
import { humanPartText, recordHumanPart } from '../session/human-part.js';
import type { KeyedMutex } from '../session/keyed-mutex.js';
import type { SessionUpdater } from '../session/session-updates.js';
import type { AgentMessageOrder } from './agent-message-order.js';
import type { ChannelQueue } from './channel-enqueue.js';
import type { EngineTelemetryEvent } from './engine-types.js';
import type { HandoffSteps } from './handoff-steps.js';
import type { NoticeWriter } from './notice-writer.js';

export interface EventApplicationSettings {
  support: Pick<SupportAdapter, 'capabilities' | 'syncConversation'>;
  channel: Pick<ChannelSink, 'typing'>;
  sessions: Pick<SessionStore, 'get' | 'findKeyByConversation'>;
  updater: SessionUpdater;
  mutex: KeyedMutex;
  agentMessages: Pick<AgentMessageOrder, 'accept' | 'outbound'>;
  steps: Pick<HandoffSteps, 'giveBackToBot'>;
  channelQueue: ChannelQueue;
  notices: Pick<NoticeWriter, 'notice'>;
  now: () => Date;
  telemetry: (event: EngineTelemetryEvent) => void;
}

export interface EventApplication {
  /**
   * Applies verified support events, each to the session whose conversation it concerns (the
   * current one, or, for an agent's late message, the one it closed last).
   */
  applyEvents(events: readonly SupportEvent[], options?: { signal?: AbortSignal }): Promise<void>;
}

export function createEventApplication(settings: EventApplicationSettings): EventApplication {
  const { support, channel, sessions, updater, mutex, agentMessages, steps, channelQueue, notices } =
    settings;
  const { now, telemetry } = settings;

  const relayTyping = async (key: string, event: Extract<SupportEvent, { type: 'agent.typing' }>) => {
    const session = (await sessions.get(key))?.session;
    // Typing follows ownership: only while a human holds the session.
    if (session?.mode !== 'human' || session.conversation?.conversationId !== event.conversationId) return;
    try {
      await channel.typing?.({
        channelId: session.channelId,
        userId: session.userId,
        typing: event.typing,
        agent: event.agent,
      });
    } catch {
      // Typing is best effort; a failed indicator must not fail the webhook.
    }
  };

  /**
   * An agent message for the conversation the session closed last: its webhook came after the close
   * (Chatwoot delivers in no order, "resolved" can come first). Written before the close (by the
   * support system's time of the close when it said, else ours), it still reaches the user, once;
   * written after (the conversation reopened on the support side), it does not: the user is with the
   * bot now. A message without a time is relayed: losing it would be worse.
   */
  const relayLateAgentMessage = (
    session: HandoffSession,
    event: AgentMessageEvent,
    items: NewOutboxItem[],
  ): boolean => {
    const previous = session.previousConversation;
    if (previous?.conversationId !== event.conversationId) return false;
    const seen = previous.agentMessageIds ?? [];
    if (seen.includes(event.message.id)) return false;
    const closedAt = previous.closedAt === undefined ? undefined : Date.parse(previous.closedAt);
    const writtenAt = event.occurredAt === undefined ? undefined : Date.parse(event.occurredAt);
    if (closedAt !== undefined && writtenAt !== undefined && writtenAt > closedAt) return false;
    previous.agentMessageIds = [...seen, event.message.id].slice(-50);
    channelQueue.enqueue(session, agentMessages.outbound(event), items);
    return true;
  };

  const applyEvent = async (key: string, event: SupportEvent) => {
    if (event.type === 'agent.typing') return relayTyping(key, event);
    await updater.update<void>(key, (session) => {
      if (session === undefined) return { skip: undefined };
      if (session.conversation?.conversationId !== event.conversationId) {
        if (event.type !== 'agent.message') return { skip: undefined };
        const items: NewOutboxItem[] = [];
        return relayLateAgentMessage(session, event, items)
          ? { session, items, result: undefined }
          : { skip: undefined };
      }
      const items: NewOutboxItem[] = [];
      switch (event.type) {
        case 'agent.message':
          if (!agentMessages.accept(session, event, items)) return { skip: undefined };
          break;
        case 'agent.note':
          // Never shown to the user; the bot gets the last one as a summary when it takes over again.
          if (event.note.text.length === 0) return { skip: undefined };
          session.lastAgentNote = event.note.text.slice(0, 2_000);
          recordHumanPart(session, {
            id: event.note.id,
            author: 'note',
            text: humanPartText(event.note.text),
            ...(event.agent?.name === undefined ? {} : { agentName: event.agent.name }),
            createdAt: event.occurredAt ?? now().toISOString(),
          });
          break;
        case 'agent.assigned': {
          const name = event.agent?.name;
          if (session.mode !== 'human' || name === undefined) return { skip: undefined };
          if (session.handoff !== undefined) session.handoff.agentEngaged = true;
          channelQueue.enqueue(
            session,
            notices.notice(
              session,
              'agentJoined',
              `agent-joined:${event.conversationId}:${event.agent?.id ?? name}`,
              {
                agent: name,
              },
            ),
            items,
          );
          break;
        }
        case 'conversation.closed': {
          const conversationId = event.conversationId;
          const conversation = session.conversation;
          if (session.mode === 'bot' && conversation !== undefined) {
            // A mirrored conversation closed while the bot held the session: mirror into a new one.
            session.previousConversation = {
              handoffId: conversation.handoffId,
              conversationId,
              closedAt: now().toISOString(),
            };
            delete session.conversation;
            break;
          }
          steps.giveBackToBot(session, 'agent_closed', items);
          if (
            session.previousConversation?.conversationId === conversationId &&
            event.occurredAt !== undefined
          )
            session.previousConversation.closedAt = event.occurredAt;
          if (event.closedBy !== 'bot') {
            channelQueue.enqueue(
              session,
              notices.notice(session, 'agentClosed', `agent-closed:${conversationId}`),
              items,
            );
          }
          break;
        }
      }
      return { session, items, result: undefined };
    });
  };

  /**
   * Before a human conversation is closed: what the support system has that the session has not
   * seen yet (an agent's last reply whose webhook comes after the one saying "resolved"), so the
   * user gets it before the "agent closed" notice. Best effort: if the system cannot be read now,
   * the close goes ahead and a late webhook is still relayed (`relayLateAgentMessage`).
   */
  const catchUpBeforeClose = async (
    key: string,
    event: Extract<SupportEvent, { type: 'conversation.closed' }>,
    signal: AbortSignal | undefined,
  ): Promise<void> => {
    const sync = support.syncConversation?.bind(support);
    if (sync === undefined || !support.capabilities.catchUp || event.closedBy === 'bot') return;
    const session = (await sessions.get(key))?.session;
    if (session?.mode !== 'human' || session.conversation?.conversationId !== event.conversationId) return;
    try {
      const { events } = await sync({
        conversationId: event.conversationId,
        ...(signal === undefined ? {} : { signal }),
      });
      for (const found of events) {
        if (found.type === 'agent.message' || found.type === 'agent.note') await applyEvent(key, found);
      }
    } catch (error) {
      telemetry({
        type: 'catch-up.failed',
        conversationId: event.conversationId,
        error: isSupportError(error) ? error.code : error instanceof Error ? error.name : 'error',
      });
    }
  };

  return {
    async applyEvents(events, options = {}) {
      for (const event of events) {
        const key = await sessions.findKeyByConversation(event.conversationId);
        if (key === undefined) {
          telemetry({
            type: 'event.unmatched',
            eventType: event.type,
            conversationId: event.conversationId,
          });
          continue;
        }
        await mutex.run(key, async () => {
          if (event.type === 'conversation.closed') await catchUpBeforeClose(key, event, options.signal);
          await applyEvent(key, event);
        });
      }
    },
  };
}

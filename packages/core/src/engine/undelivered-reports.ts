// Telling people about deliveries parked for good: the user about a message the support system
// never got, the agent about one the user's channel refused; and telling them again when a retry
// gets it through after all.

import type { ChannelDelivery } from '../contract/channel-sink.js';
import type { NewOutboxItem, OutboxItem } from '../contract/outbox.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import { type HandoffSession, type OutboundMessage, sessionKey } from '../session/handoff-session.js';
import type { KeyedMutex } from '../session/keyed-mutex.js';
import type { SessionUpdater } from '../session/session-updates.js';
import { agentOutboundIdPrefix } from './agent-message-order.js';
import type { ChannelQueue } from './channel-enqueue.js';
import { type EngineOutboxItem, type OutboxPayloads, supportItem } from './engine-outbox-items.js';
import type { EngineTelemetryEvent } from './engine-types.js';
import type { NoticeWriter } from './notice-writer.js';
import { excerptOf } from './notices.js';

/** Parked deliveries a session remembers having told about (see `undeliveredItemIds`). */
const rememberedUndelivered = 50;

type Outcome = 'failed' | 'recovered';

/**
 * The user's messages a support post carried, which the user is told about when it is parked. A
 * mirror of a bot turn is not (the bot answered it). A parked `support.open` is not either: the
 * handoff fails with it, and the `handoffFailed` notice already says the team was not reached.
 */
function userMessagesOf(payload: OutboxPayloads['support.post']): TranscriptMessage[] {
  if (payload.mirror === true) return [];
  return payload.messages.filter((message) => message.author === 'user');
}

/** The handoff whose support conversation an agent message (the user's copy) came from, if the session still knows it. */
function handoffOfAgentMessage(session: HandoffSession, message: OutboundMessage): string | undefined {
  for (const conversation of [session.conversation, session.previousConversation]) {
    const conversationId = conversation?.conversationId;
    if (conversationId !== undefined && message.id.startsWith(agentOutboundIdPrefix(conversationId)))
      return conversation?.handoffId;
  }
  return undefined;
}

/** A short id derived from a long one (transcript message ids are at most 200 characters). */
async function digestOf(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 12)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Whether the people of `itemId` were told it was not delivered. */
const wasTold = (session: HandoffSession, itemId: string) =>
  session.undeliveredItemIds?.includes(itemId) ?? false;

function remember(session: HandoffSession, itemId: string): void {
  session.undeliveredItemIds = [...(session.undeliveredItemIds ?? []), itemId].slice(-rememberedUndelivered);
}

function forget(session: HandoffSession, itemId: string): void {
  const rest = (session.undeliveredItemIds ?? []).filter((id) => id !== itemId);
  if (rest.length === 0) delete session.undeliveredItemIds;
  else session.undeliveredItemIds = rest;
}

export interface UndeliveredReportsSettings {
  updater: SessionUpdater;
  mutex: KeyedMutex;
  channelQueue: ChannelQueue;
  notices: NoticeWriter;
  now: () => Date;
  telemetry: (event: EngineTelemetryEvent) => void;
}

export interface UndeliveredReports {
  /** Before `item` is parked: its people are told it will not arrive (once; repeated calls do nothing). */
  parking(item: OutboxItem): Promise<void>;
  /**
   * After `item` got through: if its people had been told it would not, they are told it did.
   * Costs a session read, so it is for items that may have been tried before (`mayHaveBeenDelivered`).
   */
  delivered(item: OutboxItem): Promise<void>;
}

/**
 * Accepted but undeliverable: when a delivery is parked for good, the people it concerns are told,
 * once per parked item (remembered in the session, with stable ids): the user, by a
 * `deliveryFailed` notice, about a message of theirs the support system never got; the agent, by
 * a private note in the conversation, about a message of theirs the user's channel refused. When
 * an operator's retry gets it through after all, they are told that too, once (`deliveryRecovered`,
 * or a second note). When nobody can be told (the session or the conversation is gone), the
 * telemetry says so (`delivery.unreported`).
 */
export function createUndeliveredReports(settings: UndeliveredReportsSettings): UndeliveredReports {
  const { updater, mutex, channelQueue, notices, now, telemetry } = settings;
  const unreported = (item: OutboxItem, reason: 'no_session' | 'no_conversation') =>
    telemetry({ type: 'delivery.unreported', kind: item.kind, id: item.id, reason });

  /** The told state of `item` changes with `outcome`; false when it already had (nothing to say). */
  const changes = (session: HandoffSession, item: OutboxItem, outcome: Outcome) =>
    outcome === 'failed' ? !wasTold(session, item.id) : wasTold(session, item.id);

  const record = (session: HandoffSession, item: OutboxItem, outcome: Outcome) => {
    if (outcome === 'failed') remember(session, item.id);
    else forget(session, item.id);
  };

  const tellUser = async (
    item: OutboxItem,
    payload: OutboxPayloads['support.post'],
    message: TranscriptMessage,
    outcome: Outcome,
  ) => {
    const told = await mutex.run(payload.key, () =>
      updater.update<boolean>(payload.key, (session) => {
        if (session === undefined) return { skip: false };
        if (!changes(session, item, outcome)) return { skip: true };
        record(session, item, outcome);
        const conversation =
          session.conversation?.handoffId === payload.handoffId ? session.conversation : undefined;
        const values = {
          team: notices.teamName(conversation?.team, conversation?.teamLabel),
          message: excerptOf(message),
        };
        const notice =
          outcome === 'failed'
            ? notices.notice(session, 'deliveryFailed', `delivery-failed:${item.id}`, values)
            : notices.notice(session, 'deliveryRecovered', `delivery-recovered:${item.id}`, values);
        const items: NewOutboxItem[] = [];
        channelQueue.enqueue(session, notice, items);
        return { session, items, result: true };
      }),
    );
    if (!told) unreported(item, 'no_session');
  };

  const tellAgent = async (item: OutboxItem, delivery: ChannelDelivery, outcome: Outcome) => {
    const key = sessionKey(delivery.channelId, delivery.userId);
    const noteId = `${outcome === 'failed' ? 'undelivered' : 'delivered-after-all'}:${await digestOf(item.id)}`;
    const excerpt = excerptOf(delivery.message);
    const text =
      outcome === 'failed'
        ? `This message did not reach the user: "${excerpt}". Their channel refused it for good, so they may not have seen it; an operator can retry it.`
        : `This message reached the user after all: "${excerpt}".`;
    const told = await mutex.run(key, () =>
      updater.update<'told' | 'no_session' | 'no_conversation'>(key, (session) => {
        if (session === undefined) return { skip: 'no_session' };
        if (!changes(session, item, outcome)) return { skip: 'told' };
        const handoffId = handoffOfAgentMessage(session, delivery.message);
        if (handoffId === undefined) return { skip: 'no_conversation' };
        record(session, item, outcome);
        const note: TranscriptMessage = {
          id: noteId,
          author: 'note',
          text,
          createdAt: now().toISOString(),
        };
        const items = [
          supportItem('support.post', `${handoffId}:${noteId}`, { key, handoffId, messages: [note] }),
        ];
        return { session, items, result: 'told' };
      }),
    );
    if (told !== 'told') unreported(item, told);
  };

  const report = async (item: OutboxItem, outcome: Outcome) => {
    const engineItem = item as OutboxItem & EngineOutboxItem;
    if (engineItem.kind === 'support.post') {
      const first = userMessagesOf(engineItem.payload)[0];
      if (first !== undefined) await tellUser(item, engineItem.payload, first, outcome);
    } else if (engineItem.kind === 'channel.deliver' && engineItem.payload.message.kind === 'agent') {
      await tellAgent(item, engineItem.payload, outcome);
    }
  };

  return {
    parking: (item) => report(item, 'failed'),
    delivered: (item) => report(item, 'recovered'),
  };
}

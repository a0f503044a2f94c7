// The engine's outbox items: their payloads by kind, their lanes, and how they are made.

import type { ChannelDelivery } from '../contract/channel-sink.js';
import type { NewOutboxItem } from '../contract/outbox.js';
import type { SupportEvent } from '../schemas/support-event.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';

/** Payloads of the engine's deliveries, by kind. */
export interface OutboxPayloads {
  /** Ensure the user and open the conversation of `handoffId`. */
  'support.open': { key: string; handoffId: string; firstMessage?: TranscriptMessage };
  /** Post messages into the conversation of `handoffId`. */
  'support.post': {
    key: string;
    handoffId: string;
    messages: TranscriptMessage[];
    /**
     * A copy of a bot turn as it happens (continuous mode while the bot holds the session): the bot
     * answered it and nobody waits for it, so if it cannot be delivered only operators are told.
     */
    mirror?: true;
  };
  /** Transfer the conversation of `handoffId` to a team with a context note. */
  'support.transfer': { key: string; handoffId: string; team: string; note: string; labels?: string[] };
  /** Close a support conversation (the user or the bot ended the human part). */
  'support.close': { key: string; handoffId: string; conversationId?: string; note?: string };
  /** Deliver a message to the user's channel. */
  'channel.deliver': ChannelDelivery;
  /** Apply verified support events (stored when the webhook was acknowledged). */
  'support.events': { conversationId: string; events: SupportEvent[] };
  /** A user chose to wait for a team: when it fires, the bot takes over if nobody answered. */
  'session.wait-timeout': { key: string; handoffId: string };
  /** Held agent messages of a session waited long enough: they go to the user in the system's order. */
  'session.release-agent-messages': { key: string };
}

export type OutboxItemKind = keyof OutboxPayloads;

export type EngineOutboxItem = {
  [Kind in OutboxItemKind]: { kind: Kind; payload: OutboxPayloads[Kind] };
}[OutboxItemKind];

/** Support deliveries of one session share a lane: open, post and transfer happen in order. */
export function supportLane(key: string): string {
  return `support:${key}`;
}

/** Channel deliveries of one user share a lane, apart from support deliveries. */
export function channelLane(key: string): string {
  return `channel:${key}`;
}

/** Timers of one session, apart from its deliveries. */
export function timerLane(key: string): string {
  return `timer:${key}`;
}

/** Events of one conversation are applied in the order their webhooks arrived. */
export function eventsLane(conversationId: string): string {
  return `events:${conversationId}`;
}

export function supportItem<
  Kind extends Exclude<
    OutboxItemKind,
    'channel.deliver' | 'support.events' | 'session.wait-timeout' | 'session.release-agent-messages'
  >,
>(kind: Kind, id: string, payload: OutboxPayloads[Kind]): NewOutboxItem {
  return { id: `${kind}:${id}`, lane: supportLane(payload.key), kind, payload };
}

export function channelItem(key: string, delivery: ChannelDelivery): NewOutboxItem {
  return {
    id: `channel.deliver:${key}:${delivery.message.id}`,
    lane: channelLane(key),
    kind: 'channel.deliver',
    payload: delivery,
  };
}

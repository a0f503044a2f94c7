// The host engine's outbox items: their payloads by kind, their lanes, and how they are made.

import type { NewOutboxItem } from '../contract/outbox.js';
import type { BotHostEvent } from '../schemas/bot-host-event.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';

/** Payloads of the host engine's deliveries, by kind. */
export interface BotHostPayloads {
  /** A verified event of the bot webhook, stored before the webhook was acknowledged. */
  'host.event': BotHostEvent;
  /** The bot's answer to post while the bot still holds the conversation. */
  'host.reply': { conversationId: string; messages: TranscriptMessage[] };
  /** Hand the conversation to a team with the context note. */
  'host.handoff': { conversationId: string; team: string; note: string; labels: string[] };
}

/** Events of one conversation are applied in arrival order; the bot is asked one message at a time. */
export function hostEventsLane(conversationId: string): string {
  return `host-events:${conversationId}`;
}

/** Answers and handoffs of one conversation go out in order, apart from the events (a slow bot blocks no post). */
export function hostAnswersLane(conversationId: string): string {
  return `host-answers:${conversationId}`;
}

export function hostEventItem(event: BotHostEvent): NewOutboxItem {
  return {
    id: `host.event:${event.conversationId}:${event.id}`,
    lane: hostEventsLane(event.conversationId),
    kind: 'host.event',
    payload: event,
  };
}

export function hostAnswerItem<Kind extends 'host.reply' | 'host.handoff'>(
  kind: Kind,
  turnId: string,
  payload: BotHostPayloads[Kind],
): NewOutboxItem {
  return { id: `${kind}:${turnId}`, lane: hostAnswersLane(payload.conversationId), kind, payload };
}

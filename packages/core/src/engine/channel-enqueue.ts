// Queueing a message for the user's channel: the one way the engine sends the user anything later.

import type { NewOutboxItem } from '../contract/outbox.js';
import type { HandoffSession, OutboundMessage } from '../session/handoff-session.js';
import { channelItem } from './engine-outbox-items.js';
import type { EngineTelemetryEvent } from './engine-types.js';

export interface ChannelQueueSettings {
  telemetry: (event: EngineTelemetryEvent) => void;
}

export interface ChannelQueue {
  /**
   * Queues a message for the user's channel (its lane keeps the order the engine decides), and
   * counts it.
   */
  enqueue(session: HandoffSession, message: OutboundMessage, items: NewOutboxItem[]): void;
}

export function createChannelQueue(settings: ChannelQueueSettings): ChannelQueue {
  return {
    enqueue(session, message, items) {
      items.push(
        channelItem(session.key, {
          channelId: session.channelId,
          userId: session.userId,
          sessionId: session.sessionId,
          message,
        }),
      );
      settings.telemetry({ type: 'message.relayed', key: session.key, direction: 'to-channel', count: 1 });
    },
  };
}

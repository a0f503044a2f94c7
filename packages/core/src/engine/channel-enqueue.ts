import type { NewOutboxItem } from '../contract/outbox.js';
import type { HandoffSession, OutboundMessage } from '../session/handoff-session.js';
import type { EngineContext } from './engine-context.js';
import { channelItem } from './engine-outbox-items.js';

/**
 * Queues a message for the user's channel (its lane keeps the order the engine decides), and
 * counts it.
 */
export function enqueueForChannel(
  context: EngineContext,
  session: HandoffSession,
  message: OutboundMessage,
  items: NewOutboxItem[],
): void {
  items.push(
    channelItem(session.key, {
      channelId: session.channelId,
      userId: session.userId,
      sessionId: session.sessionId,
      message,
    }),
  );
  context.telemetry({ type: 'message.relayed', key: session.key, direction: 'to-channel', count: 1 });
}

// The channel port: where messages for the user are delivered, and agent typing shown.

import type { OutboundMessage } from '../session/handoff-session.js';

export interface ChannelDelivery {
  channelId: string;
  userId: string;
  sessionId: string;
  message: OutboundMessage;
}

export interface ChannelTyping {
  channelId: string;
  userId: string;
  typing: boolean;
  agent?: { id?: string; name?: string };
}

/**
 * The user's side. `deliver` is called from the outbox (at least once, per user in order, with a
 * stable message id for de-duplication); throw to have it retried. `typing` is best effort.
 */
export interface ChannelSink {
  deliver(delivery: ChannelDelivery, options: { signal: AbortSignal }): Promise<void>;
  typing?(typing: ChannelTyping): void | Promise<void>;
}

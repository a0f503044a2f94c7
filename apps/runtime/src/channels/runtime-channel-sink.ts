import { type ChannelSink, type LiveEventHub, type Mailbox, sessionKey } from '@handoff/core';
import type { Dispatcher } from 'undici';
import type { ChannelConfig } from '../config/runtime-config.js';
import { postSigned } from './callback-client.js';

/**
 * Where the engine's outbound messages go: stored in the user's mailbox first (so nothing lives
 * only in a socket), pushed to live event streams, and POSTed to the channel's callback when one
 * is configured (a failed callback throws, so the outbox retries; the mailbox keeps one copy).
 */
export function createRuntimeChannelSink(settings: {
  mailbox: Mailbox;
  hub: LiveEventHub;
  channels: Readonly<Record<string, ChannelConfig>>;
  /** A user's key in the mailbox and the hub. Default `sessionKey` (the default chatbot's users). */
  userKey?: (channelId: string, userId: string) => string;
  dispatcher?: Dispatcher | undefined;
}): ChannelSink {
  const userKeyOf = settings.userKey ?? sessionKey;
  return {
    async deliver(delivery, { signal }) {
      const userKey = userKeyOf(delivery.channelId, delivery.userId);
      const entry = await settings.mailbox.append(userKey, delivery.message);
      // Published on every attempt (event streams skip what they sent already), so a retry after
      // a failed publish still reaches live streams.
      await settings.hub.publish(userKey, { type: 'message', entry });
      const channel = settings.channels[delivery.channelId];
      if (channel?.callbackUrl === undefined || channel.callbackSecret === undefined) return;
      await postSigned({
        url: channel.callbackUrl,
        secret: channel.callbackSecret,
        deliveryId: delivery.message.id,
        timeoutMs: channel.callbackTimeoutMs,
        body: {
          channelId: delivery.channelId,
          userId: delivery.userId,
          sessionId: delivery.sessionId,
          sequence: entry.sequence,
          message: delivery.message,
        },
        dispatcher: settings.dispatcher,
        signal,
      });
    },
    typing(typing) {
      // Typing is a hint: lost when the hub is unavailable, never retried.
      void settings.hub
        .publish(userKeyOf(typing.channelId, typing.userId), { type: 'typing', typing })
        .catch(() => undefined);
    },
  };
}

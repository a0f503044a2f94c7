// The live-event hub over Redis pub/sub: events cross instances, at most once.
import { createLiveEventListeners, type LiveEvent, type LiveEventHub } from '@handoff/core';
import type { Redis } from 'ioredis';
import { whileConnected } from './redis-connection.js';

/**
 * A hub shared by every instance through Redis pub/sub: an event published by the instance that
 * delivered a message reaches the user's event streams on any instance. Each instance subscribes
 * only to the users connected to it. Pub/sub is at most once, so the mailbox stays the record:
 * after the subscriber reconnects, streams are told to `resync` from it.
 */
export function createRedisLiveEventHub(settings: {
  /** Commands (PUBLISH). */
  redis: Redis;
  /** A connection of its own in subscriber mode. */
  subscriber: Redis;
  prefix: string;
}): LiveEventHub {
  const { redis, subscriber } = settings;
  const registry = createLiveEventListeners();
  const channelPrefix = `${settings.prefix}:hub:`;
  const subscribing = new Map<string, Promise<unknown>>();
  let connectedBefore = subscriber.status === 'ready';

  subscriber.on('message', (channel: string, payload: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    let event: LiveEvent;
    try {
      event = JSON.parse(payload) as LiveEvent;
    } catch {
      return;
    }
    registry.dispatch(channel.slice(channelPrefix.length), event);
  });
  subscriber.on('ready', () => {
    // ioredis subscribes again by itself; what was published meanwhile is in the mailbox.
    if (connectedBefore) registry.dispatchAll({ type: 'resync' });
    connectedBefore = true;
  });

  return {
    async subscribe(userKey, listener) {
      const { first, remove } = registry.add(userKey, listener);
      if (first) {
        subscribing.set(
          userKey,
          whileConnected(subscriber, () => subscriber.subscribe(`${channelPrefix}${userKey}`)),
        );
      }
      try {
        // A second stream of the same user waits for the subscription the first one started.
        await subscribing.get(userKey);
      } catch (error) {
        if (remove()) subscribing.delete(userKey);
        throw error;
      }
      return () => {
        if (!remove()) return;
        subscribing.delete(userKey);
        void subscriber.unsubscribe(`${channelPrefix}${userKey}`).catch(() => undefined);
      };
    },
    async publish(userKey, event) {
      await whileConnected(redis, () => redis.publish(`${channelPrefix}${userKey}`, JSON.stringify(event)));
    },
    get connections() {
      return registry.connections;
    },
    async close() {
      subscriber.removeAllListeners('message');
    },
  };
}

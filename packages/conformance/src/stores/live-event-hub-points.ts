// The live-event hub's points: every event to every listener of its user, in order, and no other.
import type { LiveEvent, LiveEventHub } from '@handoff/core';
import { check, checkEqual } from '../check.js';
import { outboundMessage } from './outbound-message.js';
import { type StorePoint, storePoint } from './store-point.js';
import { waitUntil } from './wait-until.js';

const suite = 'live-events';
const messageEvent = (id: string, sequence: number): LiveEvent => ({
  type: 'message',
  entry: { sequence, message: outboundMessage(id) },
});
/** What a listener saw: message ids, `typing:<on|off>` and `resync`. */
const seenOf = (events: readonly LiveEvent[]) =>
  events.map((event) =>
    event.type === 'message'
      ? event.entry.message.id
      : event.type === 'typing'
        ? `typing:${event.typing.typing ? 'on' : 'off'}`
        : 'resync',
  );

async function listen(hub: LiveEventHub, userKey: string) {
  const events: LiveEvent[] = [];
  const stop = await hub.subscribe(userKey, (event) => events.push(event));
  return { events, stop };
}

export const liveEventHubPoints: StorePoint[] = [
  storePoint({
    id: 'live-events/every-event-in-order',
    suite,
    title: 'tells a listener every event published to its user after it subscribed, in order',
    async run({ stores, liveEventTimeoutMs }) {
      const alice = await listen(stores.hub, 'web/alice');
      const published = Array.from({ length: 30 }, (_, index) => `m${index}`);
      for (const [index, id] of published.entries())
        await stores.hub.publish('web/alice', messageEvent(id, index + 1));
      await waitUntil(
        () => alice.events.length >= published.length,
        () => `${alice.events.length} of 30 events arrived`,
        liveEventTimeoutMs,
      );
      checkEqual(seenOf(alice.events), published, 'the events the listener saw');
      alice.stop();
    },
  }),
  storePoint({
    id: 'live-events/events-intact',
    suite,
    title: 'passes every kind of event on intact: messages with their sequence, typing, resync',
    async run({ stores, liveEventTimeoutMs }) {
      const alice = await listen(stores.hub, 'web/alice');
      const events: LiveEvent[] = [
        messageEvent('m1', 41),
        {
          type: 'typing',
          typing: { channelId: 'web', userId: 'alice', typing: true, agent: { name: 'Zoë' } },
        },
        { type: 'typing', typing: { channelId: 'web', userId: 'alice', typing: false } },
        { type: 'resync' },
      ];
      for (const event of events) await stores.hub.publish('web/alice', event);
      await waitUntil(
        () => alice.events.length >= events.length,
        () => `${alice.events.length} of 4 events arrived`,
        liveEventTimeoutMs,
      );
      checkEqual(alice.events, events, 'the events the listener saw');
      alice.stop();
    },
  }),
  storePoint({
    id: 'live-events/only-its-user',
    suite,
    title: 'tells a listener nothing published to another user',
    async run({ stores, liveEventTimeoutMs }) {
      const alice = await listen(stores.hub, 'web/alice');
      const bob = await listen(stores.hub, 'web/bob');
      await stores.hub.publish('web/bob', messageEvent('for-bob', 1));
      await stores.hub.publish('web/carol', messageEvent('for-carol', 2));
      await stores.hub.publish('web/alice', messageEvent('for-alice', 3));
      await waitUntil(
        () => alice.events.length > 0 && bob.events.length > 0,
        'the events did not arrive',
        liveEventTimeoutMs,
      );
      // Events of one hub arrive in publish order, so alice has seen all she will by now.
      checkEqual(seenOf(alice.events), ['for-alice'], 'what alice’s listener saw');
      checkEqual(seenOf(bob.events), ['for-bob'], 'what bob’s listener saw');
      alice.stop();
      bob.stop();
    },
  }),
  storePoint({
    id: 'live-events/every-listener',
    suite,
    title: 'tells every listener of a user, and stops telling one that unsubscribed',
    async run({ stores, liveEventTimeoutMs }) {
      const first = await listen(stores.hub, 'web/alice');
      const second = await listen(stores.hub, 'web/alice');
      checkEqual(stores.hub.connections, 2, 'connections with two listeners');
      await stores.hub.publish('web/alice', messageEvent('m1', 1));
      await waitUntil(
        () => first.events.length > 0 && second.events.length > 0,
        'm1 did not reach both listeners',
        liveEventTimeoutMs,
      );
      first.stop();
      checkEqual(stores.hub.connections, 1, 'connections after one unsubscribed');
      await stores.hub.publish('web/alice', messageEvent('m2', 2));
      await waitUntil(
        () => second.events.length > 1,
        'm2 did not reach the listener still subscribed',
        liveEventTimeoutMs,
      );
      checkEqual(seenOf(first.events), ['m1'], 'what the listener that unsubscribed saw');
      checkEqual(seenOf(second.events), ['m1', 'm2'], 'what the listener still subscribed saw');
      second.stop();
      checkEqual(stores.hub.connections, 0, 'connections after both unsubscribed');
      const third = await listen(stores.hub, 'web/alice');
      await stores.hub.publish('web/alice', messageEvent('m3', 3));
      await waitUntil(
        () => third.events.length > 0,
        'm3 did not reach a listener subscribed again',
        liveEventTimeoutMs,
      );
      third.stop();
    },
  }),
  storePoint({
    id: 'live-events/across-instances',
    suite,
    title: 'tells a listener on one instance what another instance published, in order',
    needs: ['anotherInstance'],
    async run({ stores, anotherInstance, liveEventTimeoutMs }) {
      const other = await anotherInstance();
      const alice = await listen(other.hub, 'web/alice');
      const bob = await listen(other.hub, 'web/bob');
      for (let index = 0; index < 10; index += 1)
        await stores.hub.publish('web/alice', messageEvent(`m${index}`, index + 1));
      await stores.hub.publish('web/bob', messageEvent('for-bob', 11));
      await waitUntil(
        () => alice.events.length >= 10 && bob.events.length > 0,
        () => `${alice.events.length} of 10 events crossed`,
        liveEventTimeoutMs,
      );
      checkEqual(
        seenOf(alice.events),
        Array.from({ length: 10 }, (_, index) => `m${index}`),
        'what alice saw',
      );
      checkEqual(seenOf(bob.events), ['for-bob'], 'what bob saw');
      check(other.hub.connections === 2, `connections on the listening instance: ${other.hub.connections}`);
      alice.stop();
      bob.stop();
    },
  }),
];

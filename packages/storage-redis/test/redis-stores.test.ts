import { describeHandoffStores } from '@handoff/conformance';
import { type HandoffStores, type LiveEvent, StorageUnavailableError } from '@handoff/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStores } from '../src/redis-stores.js';
import { type RedisServer, startRedisServer } from '../src/testing/redis-server.js';

let server: RedisServer;
const opened: HandoffStores[] = [];
let prefixes = 0;

beforeAll(async () => {
  server = await startRedisServer({ appendFsync: 'everysec' });
});
afterAll(async () => {
  for (const stores of opened) await stores.close();
  await server?.stop();
});

/** One instance's stores; instances of one deployment share the prefix. */
async function instance(keyPrefix: string) {
  const stores = await createRedisStores({ url: server.url, keyPrefix });
  opened.push(stores);
  return stores;
}

const prefixOf = new Map<HandoffStores, string>();
/** Stores on their own key prefix, for the kit; `samePrefix` opens another instance on it. */
async function storesAt(keyPrefix: string) {
  const stores = await createRedisStores({ url: server.url, keyPrefix });
  prefixOf.set(stores, keyPrefix);
  return stores;
}
const samePrefix = (stores: HandoffStores) => storesAt(prefixOf.get(stores) ?? 'unknown');

describeHandoffStores({
  name: 'Redis stores',
  create: () => storesAt(`kit-${++prefixes}`),
  // A restarted instance connects again to the same keys; a second one runs beside the first.
  reopen: samePrefix,
  anotherInstance: samePrefix,
});

// Mailboxes, idempotency, files, turns and live events across instances: the kit's points above.
describe('Redis stores when Redis cannot store', () => {
  it('says Redis cannot store now when it is out of memory, instead of a bare Redis error', async () => {
    const stores = await instance(`full-${++prefixes}`);
    const admin = new Redis(server.url);
    try {
      await admin.config('SET', 'maxmemory', '1');
      const refused = stores.idempotency.put('web:alice:client-1', 'answer');
      await expect(refused).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(refused).rejects.toThrow('Redis cannot store now: OOM');
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    }
    await stores.idempotency.put('web:alice:client-1', 'answer');
  });

  it('fails fast and typed while Redis is away, and recovers when it is back, telling streams to resync', async () => {
    const stores = await instance(`outage-${++prefixes}`);
    const events: LiveEvent[] = [];
    await stores.hub.subscribe('web/alice', (event) => events.push(event));
    await server.kill();
    try {
      await expect(stores.ping()).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(stores.idempotency.get('x')).rejects.toThrow(/Redis is unavailable/);
    } finally {
      await server.restart();
    }
    await expect
      .poll(
        () =>
          stores.ping().then(
            () => 'ready',
            () => 'not yet',
          ),
        { timeout: 10_000 },
      )
      .toBe('ready');
    // Pub/sub lost what was published meanwhile: listeners are told to read the mailbox again.
    await expect.poll(() => events, { timeout: 10_000 }).toEqual([{ type: 'resync' }]);
  });
});

describe('Redis stores: the keys of the in-process systems’ records', () => {
  it('keeps a chatbot’s under its own prefix, and the default system’s where they always were', async () => {
    const keyPrefix = `records-${++prefixes}`;
    const stores = await instance(keyPrefix);
    const change = { users: [{ id: 'u1' }], conversations: [{ id: 'c1' }], counters: { user: 1 } };
    await stores.chatbotSupportRecords('shop/1').persistence.commit(change);
    await stores.supportRecords?.persistence.commit({ ...change, counters: { user: 7 } });
    const admin = new Redis(server.url);
    try {
      expect((await admin.keys(`${keyPrefix}:*`)).sort()).toEqual([
        `${keyPrefix}:bots:shop%2F1:memory-support:conversations`,
        `${keyPrefix}:bots:shop%2F1:memory-support:counters`,
        `${keyPrefix}:bots:shop%2F1:memory-support:users`,
        `${keyPrefix}:memory-support:conversations`,
        `${keyPrefix}:memory-support:counters`,
        `${keyPrefix}:memory-support:users`,
      ]);
      expect(await admin.hget(`${keyPrefix}:bots:shop%2F1:memory-support:users`, 'u1')).toBe('{"id":"u1"}');
    } finally {
      admin.disconnect();
    }
  });
});

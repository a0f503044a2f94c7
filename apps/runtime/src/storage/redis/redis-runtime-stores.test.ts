import type { OutboundMessage } from '@handoff/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../test/support/redis-server.js';
import type { RuntimeStores } from '../runtime-stores.js';
import { StorageUnavailableError } from '../storage-unavailable-error.js';
import { createRedisRuntimeStores } from './redis-runtime-stores.js';

let server: RedisServer;
const opened: RuntimeStores[] = [];
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
  const stores = await createRedisRuntimeStores({ url: server.url, keyPrefix });
  opened.push(stores);
  return stores;
}

const message = (id: string, text = id): OutboundMessage => ({
  id,
  kind: 'agent',
  text,
  createdAt: new Date(0).toISOString(),
});

describe('Redis runtime stores, shared by instances', () => {
  it('keeps one mailbox per user: each message once, in order, readable from any instance', async () => {
    const prefix = `mail-${++prefixes}`;
    const [first, second] = [await instance(prefix), await instance(prefix)];
    const one = await first.mailbox.append('web:alice', message('m1'));
    const two = await second.mailbox.append('web:alice', message('m2'));
    await second.mailbox.append('web:bob', message('b1'));
    const again = await second.mailbox.append('web:alice', message('m1', 'changed'));
    expect(one.fresh).toBe(true);
    expect(two.sequence).toBeGreaterThan(one.sequence);
    expect(again).toMatchObject({ fresh: false, sequence: one.sequence });
    expect((await first.mailbox.after('web:alice', 0)).map((entry) => entry.message.text)).toEqual([
      'm1',
      'm2',
    ]);
    expect((await first.mailbox.after('web:alice', one.sequence)).map((entry) => entry.message.id)).toEqual([
      'm2',
    ]);
    expect(await first.mailbox.after('web:alice', 0, 1)).toHaveLength(1);
  });

  it('answers a repeated channel call and serves an uploaded file on every instance', async () => {
    const prefix = `shared-${++prefixes}`;
    const [first, second] = [await instance(prefix), await instance(prefix)];
    await first.idempotency.put('web:alice:client-1', '{"replies":[]}');
    expect(await second.idempotency.get('web:alice:client-1')).toBe('{"replies":[]}');
    expect(await second.idempotency.get('web:alice:client-2')).toBeUndefined();
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const file = await first.files.put({ contentType: 'image/png', name: 'receipt.png', bytes });
    expect(await second.files.get(file.id)).toMatchObject({ name: 'receipt.png', size: 5, bytes });
    expect(await second.files.get('no-such-file')).toBeUndefined();
  });

  it('gives a periodic task to one instance per period', async () => {
    const prefix = `turns-${++prefixes}`;
    const stores = await Promise.all([instance(prefix), instance(prefix), instance(prefix)]);
    const turns = await Promise.all(stores.map((store) => store.claimTurn('catch-up', 60_000)));
    expect(turns.filter(Boolean)).toHaveLength(1);
    expect(await stores[0]?.claimTurn('prune', 60_000)).toBe(true);
  });

  it('publishes live events to listeners on another instance', async () => {
    const prefix = `hub-${++prefixes}`;
    const [first, second] = [await instance(prefix), await instance(prefix)];
    const seen: string[] = [];
    const stop = await second.hub.subscribe('web:alice', (event) => {
      if (event.type === 'message') seen.push(event.entry.message.id);
    });
    await first.hub.publish('web:bob', {
      type: 'message',
      entry: { sequence: 1, message: message('to-bob') },
    });
    await first.hub.publish('web:alice', {
      type: 'message',
      entry: { sequence: 2, message: message('to-alice') },
    });
    await expect.poll(() => seen).toEqual(['to-alice']);
    expect(second.hub.connections).toBe(1);
    stop();
    expect(second.hub.connections).toBe(0);
  });

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

  it('fails fast and typed while Redis is away, and recovers when it is back', async () => {
    const stores = await instance(`outage-${++prefixes}`);
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
  });
});

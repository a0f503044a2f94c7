import { describeHandoffStorage } from '@handoff/conformance';
import type { HandoffStorage } from '@handoff/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, createRedisConnection } from '../src/redis-connection.js';
import { createRedisStorage } from '../src/redis-storage.js';
import { type RedisServer, startRedisServer } from '../src/testing/redis-server.js';

let server: RedisServer;
const connections: Redis[] = [];
let counter = 0;
const prefixes = new Map<HandoffStorage, string>();

beforeAll(async () => {
  server = await startRedisServer({ appendFsync: 'everysec' });
});
afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  await server?.stop();
});

async function openAt(prefix: string) {
  const redis = createRedisConnection({ url: server.url });
  await connectRedis(redis, server.url);
  connections.push(redis);
  const storage = createRedisStorage(redis, { prefix });
  prefixes.set(storage, prefix);
  return storage;
}

describeHandoffStorage({
  name: 'Redis storage',
  create: () => openAt(`test-${++counter}`),
  // A second connection to the same keys, as another instance (or a restarted one) sees them.
  reopen: (storage) => openAt(prefixes.get(storage) ?? 'unknown'),
});

describe('Redis storage: several instances on one Redis', () => {
  it('lets exactly one of many concurrent writers win a compare-and-set', async () => {
    const instances = await Promise.all(Array.from({ length: 5 }, () => openAt('race')));
    const first = instances[0];
    if (first === undefined) throw new Error('no instance');
    const base = {
      key: 'web:u',
      channelId: 'web',
      userId: 'u',
      sessionId: 's',
      mode: 'bot' as const,
      transcript: [],
      droppedMessages: 0,
      unfinishedSkills: [],
      recentMessageIds: [],
      createdAt: new Date(0).toISOString(),
      updatedAt: new Date(0).toISOString(),
    };
    await first.sessions.compareAndSet('web:u', undefined, base);
    const written = await Promise.all(
      instances.map((storage, index) =>
        storage.sessions.compareAndSet('web:u', 1, { ...base, sessionId: `writer-${index}` }, [
          { id: `from-${index}`, lane: 'web:u', kind: 'test', payload: index },
        ]),
      ),
    );
    expect(written.filter(Boolean)).toHaveLength(1);
    const winner = written.indexOf(true);
    expect((await first.sessions.get('web:u'))?.session.sessionId).toBe(`writer-${winner}`);
    const claimed = await first.outbox.claim({ now: Date.now() + 1, limit: 10, leaseMs: 1_000, owner: 'w' });
    expect(claimed.map((item) => item.id)).toEqual([`from-${winner}`]);
  });

  it('hands a lane head to one claimer at a time across connections', async () => {
    const [a, b] = await Promise.all([openAt('lanes'), openAt('lanes')]);
    if (a === undefined || b === undefined) throw new Error('no instance');
    await a.outbox.enqueue(
      Array.from({ length: 20 }, (_, index) => ({
        id: `i${index}`,
        lane: `lane-${index % 4}`,
        kind: 't',
        payload: index,
      })),
      { now: 0 },
    );
    const [fromA, fromB] = await Promise.all([
      a.outbox.claim({ now: 1, limit: 10, leaseMs: 1_000, owner: 'a' }),
      b.outbox.claim({ now: 1, limit: 10, leaseMs: 1_000, owner: 'b' }),
    ]);
    const heads = [...fromA, ...fromB].map((item) => item.id).sort();
    expect(heads).toEqual(['i0', 'i1', 'i2', 'i3']);
  });
});

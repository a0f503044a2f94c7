// A string per key in Redis, expiring a while after it was written: idempotency and bot state.
import type { Redis } from 'ioredis';
import type { RedisGuard } from './redis-guard.js';

/** Strings under `<namespace>:<key>`, each kept `retentionMs` after it was last written. */
export function createRedisKeyValueStore(
  redis: Redis,
  settings: { namespace: string; guarded: RedisGuard; retentionMs: number },
) {
  const { namespace, guarded, retentionMs } = settings;
  return {
    get: (key: string) => guarded(async () => (await redis.get(`${namespace}:${key}`)) ?? undefined),
    put: (key: string, value: string) =>
      guarded(async () => {
        await redis.set(`${namespace}:${key}`, value, 'PX', retentionMs);
      }),
  };
}

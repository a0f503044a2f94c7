// Uploaded files in Redis: the bytes and the details under two keys that expire together.
import { type FileStore, type StoredFile, storedFileOf } from '@handoff/core';
import type { Redis } from 'ioredis';
import type { RedisGuard } from './redis-guard.js';

/** Files in Redis, each kept `retentionMs` after its upload. */
export function createRedisFileStore(
  redis: Redis,
  settings: { prefix: string; guarded: RedisGuard; retentionMs: number },
): FileStore {
  const { prefix, guarded, retentionMs } = settings;
  return {
    put: ({ contentType, name, bytes }) =>
      guarded(async () => {
        const file = storedFileOf({ contentType, name, bytes });
        await redis
          .multi()
          .set(`${prefix}:f:${file.id}`, Buffer.from(bytes), 'PX', retentionMs)
          .set(`${prefix}:fm:${file.id}`, JSON.stringify(file), 'PX', retentionMs)
          .exec();
        return file;
      }),
    get: (id) =>
      guarded(async () => {
        const [bytes, details] = await Promise.all([
          redis.getBuffer(`${prefix}:f:${id}`),
          redis.get(`${prefix}:fm:${id}`),
        ]);
        if (bytes === null || details === null) return undefined;
        return { ...(JSON.parse(details) as StoredFile), bytes: new Uint8Array(bytes) };
      }),
  };
}

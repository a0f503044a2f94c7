// The in-process support system's records in Redis, run by one instance at a time.
import type { SupportRecord, SupportRecordsStore } from '@handoff/core';
import type { Redis } from 'ioredis';
import type { RedisGuard } from './redis-guard.js';

/** How long a claim of the in-process system lasts without renewal (a killed owner's, too). */
const claimMs = 6_000;

/**
 * The in-process system's records in Redis: a hash of users, one of conversations, the id
 * counters, a change written in one MULTI. The system's records change in one process only, so a
 * running instance claims it (a key renewed while it runs) and a second one refuses to start.
 */
export function createRedisSupportRecordsStore(
  redis: Redis,
  settings: {
    prefix: string;
    instance: string;
    guarded: RedisGuard;
  },
): SupportRecordsStore {
  const key = (name: string) => `${settings.prefix}:memory-support:${name}`;
  let renewal: ReturnType<typeof setInterval> | undefined;
  return {
    load: () =>
      settings.guarded(async () => {
        const [users, conversations, counters] = await Promise.all([
          redis.hvals(key('users')),
          redis.hvals(key('conversations')),
          redis.get(key('counters')),
        ]);
        if (counters === null) return undefined;
        return {
          users: users.map((data) => JSON.parse(data) as SupportRecord),
          conversations: conversations.map((data) => JSON.parse(data) as SupportRecord),
          counters: JSON.parse(counters) as unknown,
        };
      }),
    persistence: {
      commit: (change) =>
        settings.guarded(async () => {
          const transaction = redis.multi();
          for (const user of change.users) transaction.hset(key('users'), user.id, JSON.stringify(user));
          for (const conversation of change.conversations)
            transaction.hset(key('conversations'), conversation.id, JSON.stringify(conversation));
          transaction.set(key('counters'), JSON.stringify(change.counters));
          const results = await transaction.exec();
          const failed = results?.find(([error]) => error !== null)?.[0];
          if (results === null || failed) throw failed ?? new Error('the Redis transaction was discarded');
        }),
    },
    async claim() {
      // A killed owner's claim runs out within claimMs: a restart waits for it; a live owner keeps it.
      const deadline = Date.now() + claimMs + 1_000;
      for (;;) {
        const owner = await settings.guarded(async () => {
          const taken = await redis.set(key('owner'), settings.instance, 'PX', claimMs, 'NX');
          return taken === 'OK' ? settings.instance : await redis.get(key('owner'));
        });
        if (owner === settings.instance) break;
        if (owner !== null && Date.now() > deadline) {
          throw new Error(
            `another instance (${owner}) runs the in-process support system on this Redis; it lives in one process`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      renewal = setInterval(() => {
        void settings
          .guarded(() => redis.set(key('owner'), settings.instance, 'PX', claimMs))
          .catch(() => undefined);
      }, claimMs / 3);
      renewal.unref();
    },
    release: async () => {
      if (renewal !== undefined) clearInterval(renewal);
      await settings
        .guarded(async () => {
          if ((await redis.get(key('owner'))) === settings.instance) await redis.del(key('owner'));
        })
        .catch(() => undefined);
    },
  };
}

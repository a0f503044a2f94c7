// The in-process support systems' records in Redis: the default one's, run by one instance at a time, and chatbots'.
import type { ChatbotSupportRecordsStore, SupportRecord, SupportRecordsStore } from '@handoff/core';
import type { Redis } from 'ioredis';
import type { RedisGuard } from './redis-guard.js';

/** How long a claim of the in-process system lasts without renewal (a killed owner's, too). */
const claimMs = 6_000;

/** Throws the error of a MULTI that failed or was discarded; answers its replies otherwise. */
function repliesOf(results: [Error | null, unknown][] | null): unknown[] {
  const failed = results?.find(([error]) => error !== null)?.[0];
  if (results === null || failed) throw failed ?? new Error('the Redis transaction was discarded');
  return results.map(([, reply]) => reply);
}

/**
 * An in-process system's records under `keyPrefix`: a hash of users, one of conversations and the
 * id counters; a change written in one MULTI (serialized whole first), and read back in one.
 */
export function createRedisSupportRecords(
  redis: Redis,
  settings: { keyPrefix: string; guarded: RedisGuard },
): ChatbotSupportRecordsStore {
  const key = (name: string) => `${settings.keyPrefix}:${name}`;
  return {
    load: () =>
      settings.guarded(async () => {
        const [users, conversations, counters] = repliesOf(
          await redis.multi().hvals(key('users')).hvals(key('conversations')).get(key('counters')).exec(),
        ) as [string[], string[], string | null];
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
          const users = change.users.map((user) => [user.id, JSON.stringify(user)] as const);
          const conversations = change.conversations.map(
            (conversation) => [conversation.id, JSON.stringify(conversation)] as const,
          );
          const counters = JSON.stringify(change.counters);
          const transaction = redis.multi();
          for (const [id, data] of users) transaction.hset(key('users'), id, data);
          for (const [id, data] of conversations) transaction.hset(key('conversations'), id, data);
          transaction.set(key('counters'), counters);
          repliesOf(await transaction.exec());
        }),
    },
  };
}

/**
 * The in-process system's records in Redis (`createRedisSupportRecords` under
 * `<prefix>:memory-support`). The system's records change in one process only, so a running
 * instance claims it (a key renewed while it runs) and a second one refuses to start.
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
    ...createRedisSupportRecords(redis, {
      keyPrefix: `${settings.prefix}:memory-support`,
      guarded: settings.guarded,
    }),
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

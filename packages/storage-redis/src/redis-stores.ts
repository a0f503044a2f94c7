// createRedisStores: every store a host needs in Redis, shared by several instances.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type HandoffStores, StorageUnavailableError } from '@handoff/core';
import { createRedisChatbotStore } from './redis-chatbot-store.js';
import { connectRedis, createRedisConnection, whileConnected } from './redis-connection.js';
import { redisDurabilityWarnings } from './redis-durability-warnings.js';
import { createRedisFileStore } from './redis-file-store.js';
import { createRedisInstallationSecrets } from './redis-installation-secrets.js';
import { createRedisKeyValueStore } from './redis-key-value-store.js';
import { createRedisLiveEventHub } from './redis-live-event-hub.js';
import { createRedisMailbox } from './redis-mailbox.js';
import { createRedisStorage } from './redis-storage.js';
import { createRedisSupportRecords, createRedisSupportRecordsStore } from './redis-support-records-store.js';

export interface RedisStoresSettings {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. Never logged. */
  url: string;
  /** Prefix of every key, so several deployments can share one Redis. Default `handoff`. */
  keyPrefix?: string;
  /**
   * How long an instance holds a delivery without renewing it: the deliveries of an instance that
   * died are taken over by another one after at most this long. Default 15 s.
   */
  leaseMs?: number;
}

const day = 24 * 60 * 60 * 1000;
const idempotencyRetentionMs = day;
/** Uploaded files are kept this long (agents open them from the support system meanwhile). */
const fileRetentionMs = 30 * day;
/** A bot session's dialogue is kept this long after its last turn. */
const botStateRetentionMs = 30 * day;
/** A user's mailbox is kept this long after their last message. */
const mailboxRetentionMs = 30 * day;

/**
 * Every store in Redis, for several instances sharing the load: sessions and outbox (a session
 * write and its deliveries in one Lua script; only a lane's head is claimed, under a lease its
 * worker renews), mailboxes, idempotency records, files, bot state, installation secrets, chatbots, the
 * in-process support system's records (run by one instance at a time), turns of periodic tasks,
 * and live events over pub/sub. Resolves once connected (two connections: commands and events);
 * rejects with a StorageUnavailableError when Redis cannot be reached, and every call does while
 * it is away. Needs one Redis primary (standalone or Sentinel), not Redis Cluster.
 */
export async function createRedisStores(settings: RedisStoresSettings): Promise<HandoffStores> {
  const prefix = settings.keyPrefix ?? 'handoff';
  const instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const redis = createRedisConnection({ url: settings.url, connectionName: `handoff-${instance}` });
  const subscriber = createRedisConnection({
    url: settings.url,
    connectionName: `handoff-${instance}-events`,
  });
  // Connection errors surface as failed calls (and readiness); the client's own events would
  // otherwise be unhandled.
  redis.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  await connectRedis(redis, settings.url);
  try {
    await connectRedis(subscriber, settings.url);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const warnings = await redisDurabilityWarnings(redis);

  const guarded = <Result>(work: () => Promise<Result>) => whileConnected(redis, work);
  const storage = createRedisStorage(redis, { prefix });
  let botHostStorage: ReturnType<typeof createRedisStorage> | undefined;
  const chatbotStorages = new Map<string, ReturnType<typeof createRedisStorage>>();
  const chatbotRecords = new Map<string, ReturnType<typeof createRedisSupportRecords>>();
  /** Every key of a chatbot's starts with its own prefix. */
  const chatbotPrefix = (chatbotId: string) => `${prefix}:bots:${encodeURIComponent(chatbotId)}`;

  const claimTurn = (task: string, periodMs: number) =>
    guarded(async () => (await redis.set(`${prefix}:turn:${task}`, instance, 'PX', periodMs, 'NX')) === 'OK');

  const maintenance = setInterval(
    () => {
      void claimTurn('prune', 60 * 60 * 1000)
        .then(async (mine) => {
          if (!mine) return;
          await storage.pruneDelivered();
          await botHostStorage?.pruneDelivered();
          for (const chatbot of chatbotStorages.values()) await chatbot.pruneDelivered();
        })
        .catch(() => undefined);
    },
    60 * 60 * 1000,
  );
  maintenance.unref();

  const hub = createRedisLiveEventHub({ redis, subscriber, prefix });
  return {
    storage,
    botHostStorage() {
      botHostStorage ??= createRedisStorage(redis, { prefix: `${prefix}:agent-bot` });
      return botHostStorage;
    },
    chatbotStorage(chatbotId) {
      const storage =
        chatbotStorages.get(chatbotId) ?? createRedisStorage(redis, { prefix: chatbotPrefix(chatbotId) });
      chatbotStorages.set(chatbotId, storage);
      return storage;
    },
    chatbotSupportRecords(chatbotId) {
      const records =
        chatbotRecords.get(chatbotId) ??
        createRedisSupportRecords(redis, {
          keyPrefix: `${chatbotPrefix(chatbotId)}:memory-support`,
          guarded,
        });
      chatbotRecords.set(chatbotId, records);
      return records;
    },
    mailbox: createRedisMailbox(redis, { prefix, guarded, retentionMs: mailboxRetentionMs }),
    idempotency: createRedisKeyValueStore(redis, {
      namespace: `${prefix}:idem`,
      guarded,
      retentionMs: idempotencyRetentionMs,
    }),
    files: createRedisFileStore(redis, { prefix, guarded, retentionMs: fileRetentionMs }),
    hub,
    botState: createRedisKeyValueStore(redis, {
      namespace: `${prefix}:bot`,
      guarded,
      retentionMs: botStateRetentionMs,
    }),
    chatbots: createRedisChatbotStore({ redis, subscriber, prefix, guarded }),
    supportRecords: createRedisSupportRecordsStore(redis, { prefix, instance, guarded }),
    claimTurn,
    installationSecret: createRedisInstallationSecrets(redis, { prefix, guarded }),
    delivery: { leaseMs: settings.leaseMs ?? 15_000, idlePollMs: 1_000 },
    warnings,
    async ping() {
      await guarded(() => redis.ping());
      if (subscriber.status !== 'ready') {
        throw new StorageUnavailableError(`the Redis event connection is ${subscriber.status}`);
      }
    },
    async close() {
      clearInterval(maintenance);
      await hub.close();
      await Promise.all(
        [redis, subscriber].map((connection) =>
          connection.quit().catch(() => {
            connection.disconnect();
          }),
        ),
      );
    },
  };
}

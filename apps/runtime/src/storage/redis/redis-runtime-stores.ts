import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { OutboundMessage } from '@handoff/core';
import type { Redis } from 'ioredis';
import { createRedisChannelHub } from '../../channels/redis-channel-hub.js';
import type { FileStore } from '../../files/file-store.js';
import type { IdempotencyStore, Mailbox, RuntimeStores } from '../runtime-stores.js';
import { StorageUnavailableError } from '../storage-unavailable-error.js';
import { createLuaScript } from './lua-script.js';
import { connectRedis, createRedisConnection, whileConnected } from './redis-connection.js';
import { createRedisMemorySupportStore } from './redis-memory-support-store.js';
import { createRedisStorage } from './redis-storage.js';

export interface RedisRuntimeStoresSettings {
  url: string;
  /** Prefix of every key. Default `handoff`. */
  keyPrefix?: string;
  /** How long an instance holds a delivery without renewing it. Default 15 s. */
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
 * ARGV: prefix, user key, message id, message JSON, retention ms. Stores a message once per id, at
 * the next number of one counter shared by all users; answers [sequence, 1 when new].
 */
const appendMailScript = `
local base = ARGV[1] .. ':m:' .. ARGV[2]
local existing = redis.call('HGET', base .. ':ids', ARGV[3])
if existing then return { tonumber(existing), 0 } end
local sequence = redis.call('INCR', ARGV[1] .. ':m:sequence')
redis.call('HSET', base .. ':ids', ARGV[3], sequence)
redis.call('ZADD', base, sequence, ARGV[4])
redis.call('PEXPIRE', base, ARGV[5])
redis.call('PEXPIRE', base .. ':ids', ARGV[5])
return { sequence, 1 }
`;

/** Reads a server setting; undefined where CONFIG is not allowed (managed Redis). */
async function readSetting(redis: Redis, name: string): Promise<string | undefined> {
  try {
    const answer = (await redis.config('GET', name)) as unknown;
    return Array.isArray(answer) && typeof answer[1] === 'string' ? answer[1] : undefined;
  } catch {
    return undefined;
  }
}

/** Settings under which Redis could drop what the runtime acknowledged. */
async function checkDurability(redis: Redis): Promise<string[]> {
  const warnings: string[] = [];
  const policy = await readSetting(redis, 'maxmemory-policy');
  if (policy !== undefined && policy !== 'noeviction') {
    warnings.push(
      `Redis maxmemory-policy is ${policy}: under memory pressure Redis may evict sessions and pending deliveries; set it to noeviction`,
    );
  }
  const appendOnly = await readSetting(redis, 'appendonly');
  if (appendOnly === 'no') {
    warnings.push(
      'Redis appendonly is off: what was acknowledged since the last snapshot is lost if Redis restarts; turn appendonly on',
    );
  }
  return warnings;
}

/**
 * The runtime's stores in Redis, for several instances sharing the load: sessions, transcripts and
 * the outbox (see `createRedisStorage`), mailboxes, idempotency records, uploaded files, the live
 * event hub (pub/sub) and turns of periodic tasks. Resolves once connected; rejects with a
 * `StorageUnavailableError` when Redis cannot be reached.
 */
export async function createRedisRuntimeStores(settings: RedisRuntimeStoresSettings): Promise<RuntimeStores> {
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
  const warnings = await checkDurability(redis);

  const guarded = <Result>(work: () => Promise<Result>) => whileConnected(redis, work);
  const storage = createRedisStorage(redis, { prefix });
  let agentBotStorage: ReturnType<typeof createRedisStorage> | undefined;
  const appendMail = createLuaScript(redis, appendMailScript);

  const mailbox: Mailbox = {
    append: (userKey, message: OutboundMessage) =>
      guarded(async () => {
        const [sequence, fresh] = (await appendMail(
          prefix,
          userKey,
          message.id,
          JSON.stringify(message),
          mailboxRetentionMs,
        )) as [number, number];
        return { sequence, message, fresh: fresh === 1 };
      }),
    after: (userKey, sequence, limit = 500) =>
      guarded(async () => {
        const flat = await redis.zrangebyscore(
          `${prefix}:m:${userKey}`,
          `(${sequence}`,
          '+inf',
          'WITHSCORES',
          'LIMIT',
          0,
          limit,
        );
        const entries = [];
        for (let index = 0; index + 1 < flat.length; index += 2) {
          entries.push({
            sequence: Number(flat[index + 1]),
            message: JSON.parse(flat[index] ?? 'null') as OutboundMessage,
          });
        }
        return entries;
      }),
  };

  const idempotency: IdempotencyStore = {
    get: (key) => guarded(async () => (await redis.get(`${prefix}:idem:${key}`)) ?? undefined),
    put: (key, response) =>
      guarded(async () => {
        await redis.set(`${prefix}:idem:${key}`, response, 'PX', idempotencyRetentionMs);
      }),
  };

  const files: FileStore = {
    put: ({ contentType, name, bytes }) =>
      guarded(async () => {
        const file = {
          id: randomBytes(16).toString('base64url'),
          contentType,
          name,
          size: bytes.byteLength,
          createdAt: Date.now(),
        };
        await redis
          .multi()
          .set(`${prefix}:f:${file.id}`, Buffer.from(bytes), 'PX', fileRetentionMs)
          .set(`${prefix}:fm:${file.id}`, JSON.stringify(file), 'PX', fileRetentionMs)
          .exec();
        return file;
      }),
    get: (id) =>
      guarded(async () => {
        const [bytes, meta] = await Promise.all([
          redis.getBuffer(`${prefix}:f:${id}`),
          redis.get(`${prefix}:fm:${id}`),
        ]);
        if (bytes === null || meta === null) return undefined;
        const file = JSON.parse(meta) as {
          id: string;
          contentType: string;
          name: string;
          size: number;
          createdAt: number;
        };
        return { ...file, bytes: new Uint8Array(bytes) };
      }),
  };

  const claimTurn = (task: string, periodMs: number) =>
    guarded(async () => (await redis.set(`${prefix}:turn:${task}`, instance, 'PX', periodMs, 'NX')) === 'OK');

  const maintenance = setInterval(
    () => {
      void claimTurn('prune', 60 * 60 * 1000)
        .then(async (mine) => {
          if (!mine) return;
          await storage.pruneDelivered();
          await agentBotStorage?.pruneDelivered();
        })
        .catch(() => undefined);
    },
    60 * 60 * 1000,
  );
  maintenance.unref();

  const hub = createRedisChannelHub({ redis, subscriber, prefix });
  return {
    storage,
    agentBotStorage() {
      agentBotStorage ??= createRedisStorage(redis, { prefix: `${prefix}:agent-bot` });
      return agentBotStorage;
    },
    mailbox,
    idempotency,
    files,
    hub,
    claimTurn,
    botState: {
      get: (key) => guarded(async () => (await redis.get(`${prefix}:bot:${key}`)) ?? undefined),
      put: (key, value) =>
        guarded(async () => {
          await redis.set(`${prefix}:bot:${key}`, value, 'PX', botStateRetentionMs);
        }),
    },
    memorySupport: createRedisMemorySupportStore(redis, { prefix, instance, guarded }),
    installationSecret: (name) =>
      guarded(async () => {
        await redis.set(`${prefix}:secret:${name}`, randomBytes(24).toString('base64url'), 'NX');
        const kept = await redis.get(`${prefix}:secret:${name}`);
        if (kept === null)
          throw new StorageUnavailableError(`the installation secret ${name} could not be kept`);
        return kept;
      }),
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

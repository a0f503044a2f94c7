// Sessions and the transactional outbox in Redis, shared by every instance.
import type {
  HandoffSession,
  HandoffStorage,
  NewOutboxItem,
  Outbox,
  OutboxItem,
  ParkedOutboxItem,
  SessionStore,
} from '@handoff/core';
import { indexedConversationId } from '@handoff/core';
import type { Redis } from 'ioredis';
import { createLuaScript } from './lua-script.js';
import { whileConnected } from './redis-connection.js';
import {
  claimScript,
  compareAndSetScript,
  completeScript,
  enqueueScript,
  extendScript,
  parkScript,
  requeueScript,
  retryScript,
} from './redis-outbox-scripts.js';

export interface RedisStorageSettings {
  /** Prefix of every key of this storage (the main one and the agent bot's differ). */
  prefix: string;
  /** How long delivered item ids are remembered, so an item enqueued again is not delivered again. Default 7 days. */
  deliveredRetentionMs?: number;
}

/** An item as the claim scripts return it (Lua's `false` for a missing field). */
interface ScriptItem {
  id: string;
  lane: string;
  kind: string;
  payload: string;
  attempts: number;
  claims: number;
  availableAt: number;
  createdAt: number;
  lastError: string | false;
}

function toItem(item: ScriptItem): OutboxItem {
  return {
    id: item.id,
    lane: item.lane,
    kind: item.kind,
    payload: JSON.parse(item.payload) as unknown,
    attempts: item.attempts,
    claims: item.claims,
    availableAt: item.availableAt,
    createdAt: item.createdAt,
    ...(typeof item.lastError === 'string' ? { lastError: item.lastError } : {}),
  };
}

function itemsJson(items: readonly NewOutboxItem[]): string {
  return JSON.stringify(
    items.map((item) => ({
      id: item.id,
      lane: item.lane,
      kind: item.kind,
      payload: JSON.stringify(item.payload ?? null),
      ...(item.availableAt === undefined ? {} : { availableAt: item.availableAt }),
    })),
  );
}

/**
 * Sessions and the transactional outbox in Redis, shared by every runtime instance: a session
 * write and its deliveries land in one Lua script; only a lane's head is ever claimed, under a
 * lease its worker renews, so one instance at a time delivers a conversation's next item and the
 * items of an instance that died are taken over when its leases run out.
 */
export function createRedisStorage(
  redis: Redis,
  settings: RedisStorageSettings,
): HandoffStorage & { pruneDelivered(now?: number): Promise<number> } {
  const prefix = settings.prefix;
  const retentionMs = settings.deliveredRetentionMs ?? 7 * 24 * 60 * 60 * 1000;
  const scripts = {
    enqueue: createLuaScript(redis, enqueueScript),
    compareAndSet: createLuaScript(redis, compareAndSetScript),
    claim: createLuaScript(redis, claimScript),
    complete: createLuaScript(redis, completeScript),
    extend: createLuaScript(redis, extendScript),
    retry: createLuaScript(redis, retryScript),
    park: createLuaScript(redis, parkScript),
    requeue: createLuaScript(redis, requeueScript),
  };
  const key = {
    session: (sessionKey: string) => `${prefix}:s:${sessionKey}`,
    conversations: `${prefix}:conv`,
    conversationOf: `${prefix}:convof`,
    item: (id: string) => `${prefix}:o:i:${id}`,
    heads: `${prefix}:o:heads`,
    claimed: `${prefix}:o:claimed`,
    timers: `${prefix}:o:timers`,
    count: `${prefix}:o:count`,
    parked: `${prefix}:o:parked`,
    done: `${prefix}:o:done`,
  };
  const guarded = <Result>(work: () => Promise<Result>) => whileConnected(redis, work);

  const sessions: SessionStore = {
    get: (sessionKey) =>
      guarded(async () => {
        const [version, data] = await redis.hmget(key.session(sessionKey), 'v', 'd');
        if (version == null || data == null) return undefined;
        return { session: JSON.parse(data) as HandoffSession, version: Number(version) };
      }),
    compareAndSet: (sessionKey, expectedVersion, session, items = []) =>
      guarded(async () => {
        const written = await scripts.compareAndSet(
          prefix,
          sessionKey,
          expectedVersion === undefined ? '' : String(expectedVersion),
          JSON.stringify(session),
          indexedConversationId(session) ?? '',
          Date.now(),
          itemsJson(items),
        );
        return written === 1;
      }),
    findKeyByConversation: (conversationId) =>
      guarded(async () => (await redis.hget(key.conversations, conversationId)) ?? undefined),
    listConversations: () =>
      guarded(async () =>
        Object.entries(await redis.hgetall(key.conversationOf)).map(([sessionKey, conversationId]) => ({
          key: sessionKey,
          conversationId,
        })),
      ),
  };

  const parseClaimed = (answer: unknown): OutboxItem[] =>
    (JSON.parse(String(answer)) as ScriptItem[]).map(toItem);

  const outbox: Outbox = {
    enqueue: (items, options = {}) =>
      guarded(async () => {
        if (items.length === 0) return;
        await scripts.enqueue(prefix, options.now ?? Date.now(), itemsJson(items));
      }),
    claim: ({ now, limit, leaseMs, owner }) =>
      guarded(async () => parseClaimed(await scripts.claim(prefix, now, limit, leaseMs, owner))),
    complete: (id, owner, options = {}) =>
      guarded(async () => {
        const next = options.claimNext;
        const answer = await scripts.complete(
          prefix,
          id,
          owner,
          next?.now ?? Date.now(),
          next === undefined ? '0' : '1',
          next?.leaseMs ?? 0,
        );
        return answer === '' || answer === null
          ? undefined
          : toItem(JSON.parse(String(answer)) as ScriptItem);
      }),
    extend: (id, owner, until) => guarded(async () => (await scripts.extend(prefix, id, owner, until)) === 1),
    retry: (id, owner, update) =>
      guarded(async () => {
        await scripts.retry(prefix, id, owner, update.availableAt, update.error);
      }),
    park: (id, owner, update) =>
      guarded(async () => {
        await scripts.park(prefix, id, owner, update.reason, update.now);
      }),
    listParked: (options = {}) =>
      guarded(async () => {
        const ids = await redis.zrange(key.parked, '0', String((options.limit ?? 100) - 1));
        if (ids.length === 0) return [];
        const pipeline = redis.pipeline();
        for (const id of ids) {
          pipeline.hmget(
            key.item(id),
            'lane',
            'kind',
            'payload',
            'attempts',
            'claims',
            'available',
            'created',
            'error',
            'reason',
            'parked',
          );
        }
        const rows = (await pipeline.exec()) ?? [];
        const parked: ParkedOutboxItem[] = [];
        rows.forEach(([error, fields], index) => {
          const id = ids[index];
          if (error !== null || id === undefined || !Array.isArray(fields)) return;
          const [lane, kind, payload, attempts, claims, available, created, lastError, reason, parkedAt] =
            fields as Array<string | null>;
          if (lane == null || kind == null || payload == null) return;
          parked.push({
            id,
            lane,
            kind,
            payload: JSON.parse(payload) as unknown,
            attempts: Number(attempts),
            claims: Number(claims),
            availableAt: Number(available),
            createdAt: Number(created),
            ...(lastError == null ? {} : { lastError }),
            reason: reason ?? '',
            parkedAt: Number(parkedAt ?? 0),
          });
        });
        return parked;
      }),
    requeue: (id, options = {}) =>
      guarded(async () => (await scripts.requeue(prefix, id, options.now ?? Date.now())) === 1),
    nextDueAt: (_now) =>
      guarded(async () => {
        const [, score] = await redis.zrange(key.heads, '0', '0', 'WITHSCORES');
        return score === undefined ? undefined : Number(score);
      }),
    counts: (options = {}) =>
      guarded(async () => {
        const now = options.now ?? Date.now();
        const answers = (await redis
          .multi()
          .get(key.count)
          .zcard(key.claimed)
          .zcount(key.timers, `(${now}`, '+inf')
          .zcard(key.parked)
          .exec()) as Array<[Error | null, unknown]> | null;
        const [count, inFlight, scheduled, parked] = (answers ?? []).map(([, value]) => Number(value ?? 0));
        return {
          pending: Math.max(0, (count ?? 0) - (inFlight ?? 0) - (scheduled ?? 0)),
          scheduled: scheduled ?? 0,
          inFlight: inFlight ?? 0,
          parked: parked ?? 0,
        };
      }),
  };

  return {
    sessions,
    outbox,
    pruneDelivered: (now = Date.now()) =>
      guarded(() => redis.zremrangebyscore(key.done, '-inf', `(${now - retentionMs}`)),
  };
}

// Chatbot configurations in Redis: a hash per chatbot, an index by id, changes over pub/sub.
import type { ChatbotChange, ChatbotChangeListener, ChatbotRecord, ChatbotStore } from '@handoff/core';
import type { Redis } from 'ioredis';
import { createLuaScript } from './lua-script.js';
import { whileConnected } from './redis-connection.js';
import type { RedisGuard } from './redis-guard.js';

// ARGV: hash key, index key, changes channel, id, document, expected revision.
const putScript = `
local current = redis.call('HGET', ARGV[1], 'revision')
local revision = tonumber(current or '0')
if revision ~= tonumber(ARGV[6]) then
  if current then return {0, current, redis.call('HGET', ARGV[1], 'document')} end
  return {0}
end
redis.call('HSET', ARGV[1], 'revision', revision + 1, 'document', ARGV[5])
redis.call('ZADD', ARGV[2], 0, ARGV[4])
redis.call('PUBLISH', ARGV[3], cjson.encode({type = 'written', id = ARGV[4], revision = revision + 1}))
return {1}
`;

// ARGV: hash key, index key, changes channel, id, expected revision ('' for any).
const deleteScript = `
local current = redis.call('HGET', ARGV[1], 'revision')
if not current then return 0 end
if ARGV[5] ~= '' and tonumber(current) ~= tonumber(ARGV[5]) then return 0 end
redis.call('DEL', ARGV[1])
redis.call('ZREM', ARGV[2], ARGV[4])
redis.call('PUBLISH', ARGV[3], cjson.encode({type = 'deleted', id = ARGV[4]}))
return 1
`;

/**
 * Chatbots shared by every instance: each a hash (revision, document) written by a Lua
 * compare-and-set that also publishes the change, a sorted set of ids for listing in order.
 * Watchers hear changes from every instance over pub/sub (at once, well within a second), and
 * `resync` after the event connection comes back.
 */
export function createRedisChatbotStore(settings: {
  redis: Redis;
  subscriber: Redis;
  prefix: string;
  guarded: RedisGuard;
}): ChatbotStore {
  const { redis, subscriber, guarded, prefix } = settings;
  const hashKey = (id: string) => `${prefix}:chatbot:${id}`;
  const indexKey = `${prefix}:chatbots`;
  const channel = `${prefix}:chatbot-changes`;
  const put = createLuaScript(redis, putScript);
  const remove = createLuaScript(redis, deleteScript);
  const listeners = new Set<ChatbotChangeListener>();
  let subscribed: Promise<unknown> | undefined;
  let connectedBefore = subscriber.status === 'ready';
  const tell = (change: ChatbotChange) => {
    for (const listener of [...listeners]) listener(change);
  };

  subscriber.on('message', (from: string, payload: string) => {
    if (from !== channel) return;
    try {
      tell(JSON.parse(payload) as ChatbotChange);
    } catch {
      tell({ type: 'resync' });
    }
  });
  subscriber.on('ready', () => {
    if (connectedBefore && listeners.size > 0) tell({ type: 'resync' });
    connectedBefore = true;
  });

  const read = async (id: string): Promise<ChatbotRecord | undefined> => {
    const [revision, document] = await redis.hmget(hashKey(id), 'revision', 'document');
    return revision == null || document == null ? undefined : { id, revision: Number(revision), document };
  };

  return {
    get: (id) => guarded(() => read(id)),
    list: (options = {}) =>
      guarded(async () => {
        const from = options.after === undefined ? '-' : `(${options.after}`;
        const ids =
          options.limit === undefined
            ? await redis.zrangebylex(indexKey, from, '+')
            : await redis.zrangebylex(indexKey, from, '+', 'LIMIT', 0, options.limit);
        const records = await Promise.all(ids.map(read));
        return records.filter((record): record is ChatbotRecord => record !== undefined);
      }),
    put: (id, document, expectedRevision) =>
      guarded(async () => {
        const answer = (await put(hashKey(id), indexKey, channel, id, document, expectedRevision)) as [
          number,
          string?,
          string?,
        ];
        if (answer[0] === 1)
          return { written: true, record: { id, revision: expectedRevision + 1, document } };
        const [, revision, stored] = answer;
        return {
          written: false,
          current:
            revision === undefined || stored === undefined
              ? undefined
              : { id, revision: Number(revision), document: stored },
        };
      }),
    delete: (id, expectedRevision) =>
      guarded(
        async () =>
          (await remove(
            hashKey(id),
            indexKey,
            channel,
            id,
            expectedRevision === undefined ? '' : expectedRevision,
          )) === 1,
      ),
    async watch(listener) {
      listeners.add(listener);
      subscribed ??= whileConnected(subscriber, () => subscriber.subscribe(channel));
      try {
        await subscribed;
      } catch (error) {
        subscribed = undefined;
        listeners.delete(listener);
        throw error;
      }
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

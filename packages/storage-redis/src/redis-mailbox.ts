// The mailbox in Redis: a sorted set per user, numbered by one counter for all users.
import type { Mailbox, OutboundMessage } from '@handoff/core';
import type { Redis } from 'ioredis';
import { createLuaScript } from './lua-script.js';
import type { RedisGuard } from './redis-guard.js';

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

/** Every user's messages in Redis; a mailbox is kept `retentionMs` after its last message. */
export function createRedisMailbox(
  redis: Redis,
  settings: { prefix: string; guarded: RedisGuard; retentionMs: number },
): Mailbox {
  const { prefix, guarded } = settings;
  const appendMail = createLuaScript(redis, appendMailScript);
  return {
    append: (userKey, message: OutboundMessage) =>
      guarded(async () => {
        const [sequence, fresh] = (await appendMail(
          prefix,
          userKey,
          message.id,
          JSON.stringify(message),
          settings.retentionMs,
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
}

// Lua scripts run by their SHA, sent in full only when Redis does not know them yet.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script run by its SHA (sent in full once, when Redis does not know it yet). */
export function createLuaScript(redis: Redis, source: string) {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (...args: Array<string | number>): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, 0, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(source, 0, ...args);
    }
  };
}

// Secrets generated once per installation, kept in Redis: the first instance to ask sets it.
import { randomBytes } from 'node:crypto';
import { StorageUnavailableError } from '@handoff/core';
import type { Redis } from 'ioredis';
import type { RedisGuard } from './redis-guard.js';

/** A secret per name: the first instance to ask generates it, every other one reads it. */
export function createRedisInstallationSecrets(
  redis: Redis,
  settings: { prefix: string; guarded: RedisGuard },
): (name: string) => Promise<string> {
  return (name) =>
    settings.guarded(async () => {
      const key = `${settings.prefix}:secret:${name}`;
      await redis.set(key, randomBytes(24).toString('base64url'), 'NX');
      const kept = await redis.get(key);
      if (kept === null)
        throw new StorageUnavailableError(`the installation secret ${name} could not be kept`);
      return kept;
    });
}

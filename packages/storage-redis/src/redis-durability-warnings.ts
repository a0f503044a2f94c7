// What in a Redis server's settings could drop what the stores acknowledged.
import type { Redis } from 'ioredis';

/** Reads a server setting; undefined where CONFIG is not allowed (managed Redis). */
async function readSetting(redis: Redis, name: string): Promise<string | undefined> {
  try {
    const answer = (await redis.config('GET', name)) as unknown;
    return Array.isArray(answer) && typeof answer[1] === 'string' ? answer[1] : undefined;
  } catch {
    return undefined;
  }
}

/** Settings under which Redis could drop what was acknowledged, as warnings for the operator. */
export async function redisDurabilityWarnings(redis: Redis): Promise<string[]> {
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

// Connections to Redis that fail fast while it is away, and its failures as StorageUnavailableError.

import { StorageUnavailableError } from '@handoff/core';
import { Redis } from 'ioredis';

export interface RedisConnectionSettings {
  /** `redis://` or `rediss://` URL; may carry a password, so it is never logged. */
  url: string;
  /** How long to wait for the first connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** Name shown by `CLIENT LIST`, to tell instances apart. */
  connectionName?: string;
}

/** The URL with any password replaced, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}

/**
 * A connection that fails fast while Redis is away (no offline queue: a command either reaches
 * Redis or rejects at once, so a request is never acknowledged before it is stored) and keeps
 * reconnecting in the background.
 */
export function createRedisConnection(settings: RedisConnectionSettings): Redis {
  return new Redis(settings.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Commands issued in the same tick go out in one write: fewer system calls under load.
    enableAutoPipelining: true,
    connectTimeout: settings.connectTimeoutMs ?? 10_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...(settings.connectionName === undefined ? {} : { connectionName: settings.connectionName }),
  });
}

/** Connects, or throws a `StorageUnavailableError` naming the (redacted) URL. */
export async function connectRedis(redis: Redis, url: string): Promise<void> {
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new StorageUnavailableError(
      `cannot reach Redis at ${redactRedisUrl(url)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Failures of the connection, whatever the client's status says at that instant. */
const connectionFailure =
  /Stream isn't writeable|Connection is closed|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT/;
/**
 * Redis answering that it cannot store now: out of memory under `noeviction`, still loading its
 * data after a restart, a replica after a failover, a script running too long, no primary.
 */
const refusedForNow = /^(OOM|LOADING|READONLY|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN)\b/;

/**
 * Runs a storage call; when it fails because Redis is not connected or cannot store now, throws
 * a `StorageUnavailableError` instead of the client's own error.
 */
export async function whileConnected<Result>(redis: Redis, work: () => Promise<Result>): Promise<Result> {
  try {
    return await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (redis.status !== 'ready' || connectionFailure.test(message)) {
      throw new StorageUnavailableError(`Redis is unavailable (${redis.status})`, { cause: error });
    }
    if (refusedForNow.test(message)) {
      throw new StorageUnavailableError(`Redis cannot store now: ${message.split(' ')[0]}`, { cause: error });
    }
    throw error;
  }
}

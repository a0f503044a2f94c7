/**
 * Remembers webhook delivery ids (and message ids) for a while so a replayed or duplicated
 * delivery is recognised. Share one guard between instances (Redis) when several run.
 */
export interface ReplayGuard {
  /** Records `key`; resolves false when it was already seen within `ttlMs`. */
  firstSeen(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Whether `key` was recorded and has not expired, without recording it. Optional: adapters that
   * keep markers of what they did (a post that succeeded) look them up with it after a restart.
   */
  has?(key: string): Promise<boolean>;
}

export interface MemoryReplayGuardSettings {
  /** Most keys kept; the oldest are forgotten first. Default 100,000. */
  maxKeys?: number;
  now?: () => number;
}

/** An in-process replay guard: a bounded map of keys to expiry times. */
export function createMemoryReplayGuard(settings: MemoryReplayGuardSettings = {}): ReplayGuard {
  const maxKeys = settings.maxKeys ?? 100_000;
  const now = settings.now ?? Date.now;
  const expiries = new Map<string, number>();
  return {
    async has(key) {
      const expiry = expiries.get(key);
      return expiry !== undefined && expiry > now();
    },
    async firstSeen(key, ttlMs) {
      const time = now();
      const expiry = expiries.get(key);
      if (expiry !== undefined && expiry > time) return false;
      expiries.delete(key);
      expiries.set(key, time + ttlMs);
      if (expiries.size > maxKeys) {
        // Insertion order is expiry order for a fixed ttl: drop from the front.
        const oldest = expiries.keys().next();
        if (!oldest.done) expiries.delete(oldest.value);
      }
      return true;
    },
  };
}

/**
 * A token bucket per key (an API token): `perMinute` requests on average, bursts up to a tenth of
 * a minute's worth. `take` answers how long to wait when the bucket is empty.
 */
export function createRateLimiter(settings: { perMinute: number; now?: () => number }) {
  const now = settings.now ?? Date.now;
  const capacity = Math.max(1, Math.ceil(settings.perMinute / 10));
  const refillPerMs = settings.perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key: string): { allowed: true } | { allowed: false; retryAfterMs: number } {
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: capacity, at: time };
      bucket.tokens = Math.min(capacity, bucket.tokens + (time - bucket.at) * refillPerMs);
      bucket.at = time;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / refillPerMs) };
    },
  };
}

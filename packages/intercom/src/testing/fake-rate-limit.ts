/**
 * Intercom's rate limit headers (facts §8): `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
 * `X-RateLimit-Reset`, the Unix time in seconds when the window resets; 429 when exceeded.
 * Intercom counts in 10-second windows; the fake counts `rateLimitPerMinute` in one-minute windows,
 * for all non-harness requests together.
 */

/** Intercom's default per app (facts §8), shown when a fault stands in for a limit not configured. */
const defaultLimitPerMinute = 10_000;

const nextBoundary = (milliseconds: number, windowMs: number): number =>
  Math.floor(milliseconds / windowMs + 1) * windowMs;

export function createRateLimiter(limitPerMinute: number | false, now: () => Date) {
  let window = -1;
  let count = 0;

  const current = () => {
    const start = Math.floor(now().getTime() / 60_000);
    if (start !== window) {
      window = start;
      count = 0;
    }
  };

  const headers = (limit: number, remaining: number, resetMs: number): Record<string, string> => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
  });

  return {
    /** Counts one request: its headers (none without a limit) and whether it is over the limit. */
    take(): { exceeded: boolean; headers: Record<string, string> } {
      if (limitPerMinute === false) return { exceeded: false, headers: {} };
      current();
      count += 1;
      return {
        exceeded: count > limitPerMinute,
        headers: headers(limitPerMinute, limitPerMinute - count, (window + 1) * 60_000),
      };
    },
    /**
     * The headers of an injected 429: the reset lies `retryAfterMs` ahead when given, otherwise at
     * the end of the window (the configured one, or Intercom's 10-second one).
     */
    faultHeaders(retryAfterMs: number | undefined): Record<string, string> {
      const nowMs = now().getTime();
      const limit = limitPerMinute === false ? defaultLimitPerMinute : limitPerMinute;
      if (retryAfterMs !== undefined) return headers(limit, 0, nowMs + retryAfterMs);
      if (limitPerMinute === false) return headers(limit, 0, nextBoundary(nowMs, 10_000));
      current();
      return headers(limit, 0, (window + 1) * 60_000);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

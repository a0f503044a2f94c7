/**
 * Intercom's rate limit headers (facts §8): `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
 * `X-RateLimit-Reset`, the Unix time in seconds when the window resets; 429 when exceeded.
 * Intercom counts in 10-second windows; the fake counts `rateLimitPerMinute` in one-minute windows,
 * for all non-harness requests together.
 */
import type { RateLimitSettings } from '@handoff/fake-server';

export function intercomRateLimit(perMinute: number | false): RateLimitSettings {
  return {
    perMinute,
    headers: ({ limit, remaining, resetAtMs }) => ({
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.ceil(resetAtMs / 1000)),
    }),
    // An injected 429 without a configured limit shows Intercom's default per app (facts §8) and
    // resets at the end of its 10-second window.
    unconfigured: { limit: 10_000, windowMs: 10_000 },
  };
}

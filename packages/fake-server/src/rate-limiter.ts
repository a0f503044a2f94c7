/**
 * A fake's rate limit: a fixed one-minute window for all non-harness requests together, and the
 * headers its vendor sends about it (none, or e.g. `X-RateLimit-*`), also for an injected 429.
 */

/** Where a client stands in the window, for the headers. */
export interface RateLimitFigures {
  limit: number;
  remaining: number;
  /** When the window resets (epoch ms). */
  resetAtMs: number;
}

export interface RateLimitSettings {
  /** Requests per minute; false: no limit (the default). */
  perMinute?: number | false;
  /** The vendor's rate limit headers, sent on every answer while a limit is set. Default: none. */
  headers?: (figures: RateLimitFigures) => Record<string, string>;
  /**
   * What an injected `rate_limited` fault shows when no limit is set: the limit, and the window at
   * whose end the reset falls. Default 0 requests, one minute.
   */
  unconfigured?: { limit: number; windowMs: number };
}

const windowMs = 60_000;

const nextBoundary = (milliseconds: number, window: number): number =>
  Math.floor(milliseconds / window + 1) * window;

export function createRateLimiter(settings: RateLimitSettings, now: () => Date) {
  const perMinute = settings.perMinute ?? false;
  const headersOf = settings.headers ?? (() => ({}));
  const unconfigured = settings.unconfigured ?? { limit: 0, windowMs };
  let window = -1;
  let count = 0;

  const current = () => {
    const start = Math.floor(now().getTime() / windowMs);
    if (start !== window) {
      window = start;
      count = 0;
    }
  };

  return {
    /** Counts one request: whether it is over the limit, and the headers of its answer. */
    take(): { exceeded: boolean; headers: Record<string, string> } {
      if (perMinute === false) return { exceeded: false, headers: {} };
      current();
      count += 1;
      return {
        exceeded: count > perMinute,
        headers: headersOf({
          limit: perMinute,
          remaining: Math.max(0, perMinute - count),
          resetAtMs: (window + 1) * windowMs,
        }),
      };
    },
    /**
     * The headers of an injected 429: the reset lies `retryAfterMs` ahead when given, otherwise at
     * the end of the window (the configured one, or the `unconfigured` one).
     */
    faultHeaders(retryAfterMs: number | undefined): Record<string, string> {
      const nowMs = now().getTime();
      const limit = perMinute === false ? unconfigured.limit : perMinute;
      if (retryAfterMs !== undefined)
        return headersOf({ limit, remaining: 0, resetAtMs: nowMs + retryAfterMs });
      if (perMinute === false) {
        return headersOf({ limit, remaining: 0, resetAtMs: nextBoundary(nowMs, unconfigured.windowMs) });
      }
      current();
      return headersOf({ limit, remaining: 0, resetAtMs: (window + 1) * windowMs });
    },
  };
}

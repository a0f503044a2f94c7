/**
 * rack-attack's global throttle (`config/initializers/rack_attack.rb`): a fixed one-minute window, counted per client IP.
 * Real Chatwoot exempts 127.0.0.1 and ::1 — every client of this fake — but the fake stands for a
 * remote server, so it applies the limit anyway, to all non-harness requests together.
 */
export function createRateLimiter(limitPerMinute: number | false, now: () => Date) {
  let window = -1;
  let count = 0;
  return {
    /** Counts one request; true when it is over the limit. */
    exceeded(): boolean {
      if (limitPerMinute === false) return false;
      const current = Math.floor(now().getTime() / 60_000);
      if (current !== window) {
        window = current;
        count = 0;
      }
      count += 1;
      return count > limitPerMinute;
    },
  };
}

// The retry delays of deliveries: exponential backoff with jitter, floored by the system's own hint.

export interface BackoffSettings {
  /** Delay before the first retry. Default 250 ms. */
  initialDelayMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Upper bound of the exponential delay. Default 60 s. */
  maxDelayMs?: number;
  /** Upper bound of a delay the support system asks for (`retryAfterMs`). Default 15 min. */
  maxRetryAfterMs?: number;
  /** Random source in [0, 1), injectable for tests. */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": half the exponential delay is kept, the other half is
 * random, so retries of many conversations spread out but never come back immediately. A
 * `retryAfterMs` hint from the support system is a floor, bounded by its own ceiling.
 */
export function createBackoff(settings: BackoffSettings = {}) {
  const initialDelayMs = settings.initialDelayMs ?? 250;
  const factor = settings.factor ?? 2;
  const maxDelayMs = settings.maxDelayMs ?? 60_000;
  const maxRetryAfterMs = settings.maxRetryAfterMs ?? 15 * 60_000;
  const random = settings.random ?? Math.random;
  return {
    /** Delay before retry number `attempt` (1 for the first retry). */
    delay(attempt: number, retryAfterMs?: number): number {
      const exponential = Math.min(maxDelayMs, initialDelayMs * factor ** Math.max(0, attempt - 1));
      const jittered = exponential / 2 + random() * (exponential / 2);
      const floor =
        retryAfterMs !== undefined && retryAfterMs > 0 ? Math.min(retryAfterMs, maxRetryAfterMs) : 0;
      return Math.round(Math.max(jittered, floor));
    },
  };
}

export type Backoff = ReturnType<typeof createBackoff>;

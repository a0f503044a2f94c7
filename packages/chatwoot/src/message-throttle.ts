/**
 * Keeps posts to one conversation under a per-minute budget (Chatwoot refuses the 201st message
 * of a minute with 422 "Too many messages"). Waits for a free slot; the wait stops on abort.
 */
export function createMessageThrottle(settings: {
  perMinute: number;
  now?: () => number;
  /** How to wait; injectable for tests. */
  wait?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}) {
  const windowMs = 60_000;
  const now = settings.now ?? Date.now;
  const sent = new Map<string, number[]>();

  const sleep = (ms: number, signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  const wait = settings.wait ?? sleep;

  return {
    async acquire(conversationId: string, signal?: AbortSignal): Promise<void> {
      for (;;) {
        const time = now();
        const recent = (sent.get(conversationId) ?? []).filter((at) => at > time - windowMs);
        if (recent.length < settings.perMinute) {
          recent.push(time);
          sent.set(conversationId, recent);
          return;
        }
        sent.set(conversationId, recent);
        await wait((recent[0] ?? time) + windowMs - time + 1, signal);
      }
    },
    /** Forgets conversations with no post in the last minute. */
    prune() {
      const cutoff = now() - windowMs;
      for (const [conversationId, times] of sent) {
        if (times.every((at) => at <= cutoff)) sent.delete(conversationId);
      }
    },
  };
}

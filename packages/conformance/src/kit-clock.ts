/**
 * The kit's clock: real time plus whatever the kit has moved it on. The replay guard the kit hands
 * to adapters runs on it, so a point can see a replay window end without waiting for it.
 */
export interface KitClock {
  /** Milliseconds since the epoch, as the kit sees them. */
  now(): number;
  /** The same, as a date (for `receivedAt`). */
  date(): Date;
  /** Moves the clock on by `ms`. */
  advance(ms: number): void;
}

export function createKitClock(): KitClock {
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  return {
    now,
    date: () => new Date(now()),
    advance(ms) {
      offsetMs += ms;
    },
  };
}

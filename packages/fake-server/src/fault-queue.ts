/**
 * The faults a fake makes its next non-harness requests meet: queued ones in order (with `times`
 * and `after`), then, when asked, random ones drawn from a seed.
 */
import type { HarnessFault, InjectFaultOptions } from '@handoff/core';
import { seededRandom } from '@handoff/http';

/**
 * A fault of the fake: the harness faults (in all but `lost_answer` the request is not processed)
 * plus `slow`, which answers after a delay (perhaps after the client gave up). `slow` and
 * `lost_answer` process the request: they are what make retries duplicate.
 */
export type FakeFault = HarnessFault | { kind: 'slow'; delayMs: number };

export type RandomFaultKind =
  | 'server_error'
  | 'rate_limited'
  | 'connection_reset'
  | 'timeout'
  | 'slow'
  | 'lost_answer';

export interface RandomFaults {
  /** Share of non-harness requests that fail, 0 to 1. */
  probability: number;
  kinds: readonly RandomFaultKind[];
  /** Same seed, same faults. */
  seed: number;
  /** Delay range of `slow` answers. Default 200 to 1,500 ms. */
  slowMs?: readonly [number, number];
}

/** What a fake offers its tests and harness for faults; a fake's public object spreads it in. */
export interface FakeFaultControls {
  /** Queues a fault for the next non-harness requests: a count (default 1), or `{ times, after }`. */
  injectFault(fault: FakeFault, options?: number | InjectFaultOptions): void;
  /** Drops the queued faults; returns how many were never met. */
  clearFaults(): number;
  /** Fails this share of non-harness requests at random (seeded), after any queued faults; undefined stops. */
  setRandomFaults(settings: RandomFaults | undefined): void;
  /** Faults met so far, by kind. */
  faultsInjected(): Record<string, number>;
  /**
   * Every non-harness answer from now on leaves this many ms after its request arrived, as from a
   * hosted vendor far away (0: at once, the default). Recorded `timing.answeredMs` includes it.
   */
  setLatency(ms: number): void;
}

export function createFaultQueue() {
  // `undefined` lets a request through untouched (the `after` of an injection).
  const queue: Array<FakeFault | undefined> = [];
  let random: { settings: RandomFaults; next: () => number } | undefined;
  const met = new Map<string, number>();
  const count = (fault: FakeFault) => {
    met.set(fault.kind, (met.get(fault.kind) ?? 0) + 1);
    return fault;
  };
  const drawRandom = (): FakeFault | undefined => {
    if (random === undefined || random.next() >= random.settings.probability) return undefined;
    const kinds = random.settings.kinds;
    const kind = kinds[Math.floor(random.next() * kinds.length)] ?? 'server_error';
    if (kind !== 'slow') return { kind };
    const [low, high] = random.settings.slowMs ?? [200, 1_500];
    return { kind, delayMs: Math.round(low + random.next() * (high - low)) };
  };
  const controls: Omit<FakeFaultControls, 'setLatency'> = {
    injectFault(fault, options = 1) {
      const { times = 1, after = 0 } = typeof options === 'number' ? { times: options } : options;
      for (let index = 0; index < after; index += 1) queue.push(undefined);
      for (let index = 0; index < times; index += 1) queue.push(fault);
    },
    clearFaults() {
      const dropped = queue.filter((fault) => fault !== undefined).length;
      queue.length = 0;
      return dropped;
    },
    setRandomFaults(settings) {
      random = settings === undefined ? undefined : { settings, next: seededRandom(settings.seed) };
    },
    faultsInjected: () => Object.fromEntries(met),
  };
  return {
    controls,
    /** The fault the next request meets, if any. */
    next(): FakeFault | undefined {
      const fault = queue.length > 0 ? queue.shift() : drawRandom();
      return fault === undefined ? undefined : count(fault);
    },
  };
}

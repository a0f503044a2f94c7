import type { HarnessFault, InjectFaultOptions } from '@handoff/core';

/** Queued faults for the next API calls, as a flaky network or an overloaded server would produce. */
export function createFaultInjector() {
  // `undefined` lets a call through untouched (the `after` of an injection).
  const queue: Array<HarnessFault | undefined> = [];
  return {
    inject(fault: HarnessFault, options: InjectFaultOptions = {}) {
      for (let index = 0; index < (options.after ?? 0); index += 1) queue.push(undefined);
      for (let index = 0; index < (options.times ?? 1); index += 1) queue.push(fault);
    },
    next(): HarnessFault | undefined {
      return queue.shift();
    },
    /** Drops what is queued; returns how many faults were never met. */
    clear(): number {
      const dropped = queue.filter((fault) => fault !== undefined).length;
      queue.length = 0;
      return dropped;
    },
    get pending() {
      return queue.filter((fault) => fault !== undefined).length;
    },
  };
}

import type { HarnessFault } from '@handoff/core';

/** Queued faults for the next API calls, as a flaky network or an overloaded server would produce. */
export function createFaultInjector() {
  const queue: HarnessFault[] = [];
  return {
    inject(fault: HarnessFault, times = 1) {
      for (let index = 0; index < times; index += 1) queue.push(fault);
    },
    next(): HarnessFault | undefined {
      return queue.shift();
    },
    get pending() {
      return queue.length;
    },
  };
}

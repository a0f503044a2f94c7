// Per-key serialisation in one process: the work on one session runs one at a time.

export interface KeyedMutex {
  /** Runs `task` after the earlier tasks of `key` settled; tasks of other keys run concurrently. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** Runs tasks one at a time per key, in call order; different keys run concurrently. */
export function createKeyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}

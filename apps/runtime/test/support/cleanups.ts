// What a test file starts and must stop: run after each test, the last started first.
import { afterEach } from 'vitest';

/** A list to push each test's stops onto; emptied (in reverse) after each test. */
export function cleanupsAfterEach(): Array<() => Promise<unknown>> {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}

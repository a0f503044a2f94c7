// Waiting for something another connection does (a live event to arrive), with a deadline.
import { ConformanceFailure } from '../check.js';

/**
 * Resolves once `condition()` holds; fails saying `what` (read at the deadline) when it still does
 * not after `timeoutMs`.
 */
export async function waitUntil(
  condition: () => boolean,
  what: string | (() => string),
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new ConformanceFailure(`${typeof what === 'string' ? what : what()} (waited ${timeoutMs} ms)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

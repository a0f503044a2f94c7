import { describe, expect, it } from 'vitest';
import { createBackoff } from './backoff.js';

describe('createBackoff', () => {
  it('grows exponentially, keeping at least half of each step', () => {
    const low = createBackoff({ initialDelayMs: 100, factor: 2, maxDelayMs: 10_000, random: () => 0 });
    const high = createBackoff({
      initialDelayMs: 100,
      factor: 2,
      maxDelayMs: 10_000,
      random: () => 0.999_999,
    });
    expect([1, 2, 3, 4].map((attempt) => low.delay(attempt))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((attempt) => high.delay(attempt))).toEqual([100, 200, 400, 800]);
  });

  it('is capped', () => {
    const backoff = createBackoff({ initialDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999_999 });
    expect(backoff.delay(30)).toBe(1_000);
  });

  it('waits at least what the support system asked for, up to its own ceiling', () => {
    const backoff = createBackoff({
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      maxRetryAfterMs: 30_000,
      random: () => 0,
    });
    expect(backoff.delay(1, 3_000)).toBe(3_000);
    expect(backoff.delay(1, 20_000)).toBe(20_000);
    expect(backoff.delay(1, 600_000)).toBe(30_000);
    expect(backoff.delay(3)).toBe(200);
  });

  it('spreads retries of many conversations', () => {
    const backoff = createBackoff({ initialDelayMs: 1_000 });
    const delays = new Set(Array.from({ length: 50 }, () => backoff.delay(3)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

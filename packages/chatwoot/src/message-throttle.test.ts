import { describe, expect, it } from 'vitest';
import { createMessageThrottle } from './message-throttle.js';

describe('message throttle', () => {
  it('lets a conversation post its budget per minute, then waits for the oldest slot', async () => {
    let now = 1_000_000;
    const waits: number[] = [];
    const throttle = createMessageThrottle({
      perMinute: 3,
      now: () => now,
      wait: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    for (let index = 0; index < 3; index += 1) {
      await throttle.acquire('42');
      now += 1_000;
    }
    expect(waits).toEqual([]);
    await throttle.acquire('42');
    // The first post was at 1,000,000; it is now 1,003,000: the slot frees 57 s (+1 ms) later.
    expect(waits).toEqual([57_001]);
  });

  it('keeps conversations apart', async () => {
    const throttle = createMessageThrottle({ perMinute: 1, now: () => 5 });
    await throttle.acquire('1');
    await expect(
      Promise.race([
        throttle.acquire('2').then(() => 'free'),
        new Promise((resolve) => setTimeout(() => resolve('blocked'), 20)),
      ]),
    ).resolves.toBe('free');
  });

  it('stops waiting when the signal aborts', async () => {
    const throttle = createMessageThrottle({ perMinute: 1, now: () => 5 });
    await throttle.acquire('1');
    const controller = new AbortController();
    const waiting = throttle.acquire('1', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

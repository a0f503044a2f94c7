import { describe, expect, it } from 'vitest';
import { allDone } from './all-done.js';

const later = <Value>(ms: number, value: Value, fail = false) =>
  new Promise<Value>((resolve, reject) => setTimeout(() => (fail ? reject(value) : resolve(value)), ms));

describe('allDone', () => {
  it('resolves with every value in order, undefined for calls not needed', async () => {
    await expect(allDone([later(20, 'team'), undefined, later(5, 2)])).resolves.toEqual([
      'team',
      undefined,
      2,
    ]);
  });

  it('rejects with the first failure in order, only once every call has settled', async () => {
    let slowDone = false;
    const slow = later(60, 'labels').then((value) => {
      slowDone = true;
      return value;
    });
    const outcome = allDone([later(30, new Error('second'), true), later(1, new Error('first'), true), slow]);
    await expect(outcome).rejects.toThrow('second');
    // Promise.all would have rejected after 1 ms with the labels call still in flight.
    expect(slowDone).toBe(true);
  });
});

// The harness client: calls marked as the harness's (untouched by faults, unrecorded), failures thrown.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarnessClient } from '../src/harness-client.js';
import { startTinyFake, tinyHarnessHeader, tinyToken } from './tiny-fake.js';

let fake: Awaited<ReturnType<typeof startTinyFake>>;
beforeEach(async () => {
  fake = await startTinyFake();
});
afterEach(async () => {
  await fake.close();
});

describe('the harness client', () => {
  it('posts as the harness: answered, never faulted, never recorded', async () => {
    const harness = createHarnessClient({
      baseUrl: fake.baseUrl,
      harnessHeader: tinyHarnessHeader,
      fakeName: 'the tiny fake',
      headers: { 'x-token': tinyToken },
    });
    fake.faults.injectFault({ kind: 'connection_reset' });
    expect(await harness.post('/items', { name: 'agent' })).toEqual({
      type: 'item',
      id: '1',
      name: 'agent (harness)',
    });
    expect(fake.requests).toEqual([]);
    await expect(harness.post('/items', {})).rejects.toThrow(
      `the tiny fake refused the harness's POST /items: HTTP 422 {"error":"name is required"}`,
    );
    await expect(harness.post('/items', { name: 'x' }, { 'x-token': 'wrong' })).rejects.toThrow(/HTTP 401/);
    expect(fake.faults.clearFaults()).toBe(1);
  });
});

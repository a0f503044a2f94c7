import { createInMemoryStores } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { handoffStoresPoints } from '../src/stores/handoff-stores-points.js';
import { runStorePoints, type StorePointResult } from '../src/stores/run-store-points.js';
import { brokenStoreVariants } from './broken-stores/index.js';

const idsWith = (results: readonly StorePointResult[], status: StorePointResult['status']) =>
  results.filter((result) => result.status === status).map((result) => result.id);

/** Points the in-memory stores cannot run: they are one process's, gone with it. */
const skippedInMemory = handoffStoresPoints
  .filter((point) => (point.needs?.length ?? 0) > 0)
  .map((point) => point.id);

describe.concurrent('the stores kit', () => {
  it('passes every point it can run against the in-memory stores of @handoff/core', async () => {
    const results = await runStorePoints({ name: 'in memory', create: () => createInMemoryStores() });
    expect(results.filter((result) => result.status === 'failed')).toEqual([]);
    expect(idsWith(results, 'skipped')).toEqual(skippedInMemory);
    expect(idsWith(results, 'passed').length).toBeGreaterThanOrEqual(20);
  });

  for (const [bug, broken] of Object.entries(brokenStoreVariants)) {
    it(`fails exactly the points about the bug, and passes the rest, for stores that ${bug}`, async () => {
      const results = await runStorePoints({ name: bug, create: broken.create, liveEventTimeoutMs: 300 });
      expect(broken.fails.length).toBeGreaterThan(0);
      expect(idsWith(results, 'failed')).toEqual(broken.fails);
      expect(idsWith(results, 'skipped')).toEqual(skippedInMemory);
    });
  }

  it('says why a point was skipped', async () => {
    const results = await runStorePoints({ name: 'in memory', create: () => createInMemoryStores() });
    expect(results.find((result) => result.id === 'mailbox/kept-across-reopen')).toEqual({
      id: 'mailbox/kept-across-reopen',
      status: 'skipped',
      message: 'the target cannot open its backend again (no reopen)',
    });
    expect(results.find((result) => result.id === 'live-events/across-instances')?.message).toBe(
      'the backend serves one instance (no anotherInstance)',
    );
  });
});

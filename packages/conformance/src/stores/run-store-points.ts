// Runs store points against a target, each with fresh stores, and says how each went.
import type { HandoffStores } from '@handoff/core';
import { describeThrown } from '../check.js';
import { handoffStoresPoints } from './handoff-stores-points.js';
import type { HandoffStoresTarget } from './handoff-stores-target.js';
import type { StorePoint, StorePointNeed } from './store-point.js';

export interface StorePointResult {
  id: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  message?: string;
}

/** Why `point` cannot run against `target` with `stores`, if it cannot. */
function missingNeed(
  point: StorePoint,
  target: HandoffStoresTarget,
  stores: HandoffStores,
): string | undefined {
  const reasons: Record<StorePointNeed, string | undefined> = {
    reopen: target.reopen === undefined ? 'the target cannot open its backend again (no reopen)' : undefined,
    anotherInstance:
      target.anotherInstance === undefined
        ? 'the backend serves one instance (no anotherInstance)'
        : undefined,
    supportRecords: stores.supportRecords === undefined ? 'the stores keep no support records' : undefined,
  };
  for (const need of point.needs ?? []) if (reasons[need] !== undefined) return reasons[need];
  return undefined;
}

/** Runs one point with fresh stores, and closes every set of stores it opened. */
export async function runStorePoint(
  target: HandoffStoresTarget,
  point: StorePoint,
): Promise<StorePointResult> {
  const opened: HandoffStores[] = [];
  const track = async (stores: HandoffStores | Promise<HandoffStores>) => {
    const ready = await stores;
    opened.push(ready);
    return ready;
  };
  try {
    const stores = await track(target.create());
    const missing = missingNeed(point, target, stores);
    if (missing !== undefined) return { id: point.id, status: 'skipped', message: missing };
    await point.run({
      stores,
      liveEventTimeoutMs: target.liveEventTimeoutMs ?? 5_000,
      reopen: async () => {
        if (target.reopen === undefined) throw new Error('the target has no reopen');
        return track(target.reopen(stores));
      },
      anotherInstance: async () => {
        if (target.anotherInstance === undefined) throw new Error('the target has no anotherInstance');
        return track(target.anotherInstance(stores));
      },
    });
    return { id: point.id, status: 'passed' };
  } catch (error) {
    return { id: point.id, status: 'failed', message: describeThrown(error) };
  } finally {
    for (const stores of opened.reverse()) {
      await (target.close ?? ((open: HandoffStores) => open.close()))(stores);
    }
  }
}

/** Runs every point of the stores kit (or those given) one after another. */
export async function runStorePoints(
  target: HandoffStoresTarget,
  points: readonly StorePoint[] = handoffStoresPoints,
): Promise<StorePointResult[]> {
  const results: StorePointResult[] = [];
  for (const point of points) results.push(await runStorePoint(target, point));
  return results;
}

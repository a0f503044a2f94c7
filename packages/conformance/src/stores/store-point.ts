// One checkable statement about a set of stores, and what it is given to check it.
import type { HandoffStores } from '@handoff/core';

export interface StorePointContext {
  /** Fresh, empty stores. */
  stores: HandoffStores;
  /** The same backend opened again (points that need it run only where the target can). */
  reopen(): Promise<HandoffStores>;
  /** A second instance on the same backend (points that need it run only where the target can). */
  anotherInstance(): Promise<HandoffStores>;
  /** How long to wait for a live event before counting it lost. */
  liveEventTimeoutMs: number;
}

/** What a point needs beyond fresh stores; it is skipped, saying so, where the target lacks it. */
export type StorePointNeed = 'reopen' | 'anotherInstance' | 'supportRecords';

export interface StorePoint {
  /** Stable id, `suite/point-slug`. */
  id: string;
  /** `mailbox`, `idempotency`, `files`, `live-events`, ... */
  suite: string;
  title: string;
  needs?: readonly StorePointNeed[];
  run(context: StorePointContext): Promise<void>;
}

export function storePoint(point: StorePoint): StorePoint {
  return point;
}

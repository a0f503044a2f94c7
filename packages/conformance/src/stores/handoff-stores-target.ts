// What the stores kit runs against: how to open a fresh set of stores, and the same backend again.
import type { HandoffStores } from '@handoff/core';

export interface HandoffStoresTarget {
  name: string;
  /** A fresh, empty set of stores per point (a new file, a new key prefix). */
  create: () => HandoffStores | Promise<HandoffStores>;
  /** Releases them. Default `stores.close()`. */
  close?: (stores: HandoffStores) => void | Promise<void>;
  /**
   * The same backend opened again, as a restarted process opens it (durable backends only): what
   * was written must still be there. It may close `stores` first.
   */
  reopen?: (stores: HandoffStores) => HandoffStores | Promise<HandoffStores>;
  /**
   * A second instance on the same backend, running beside the first (backends shared by several
   * instances only): what one writes the other reads, live events cross, turns are shared.
   */
  anotherInstance?: (stores: HandoffStores) => HandoffStores | Promise<HandoffStores>;
  /** How long the kit waits for a live event before it counts it lost. Default 5 s. */
  liveEventTimeoutMs?: number;
}

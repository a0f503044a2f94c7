// A deliberately broken set of stores, and the points of the kit that must catch it.
import { createInMemoryStores, type HandoffStores } from '@handoff/core';

export interface BrokenStores {
  /** Ids of exactly the points that fail on it. */
  fails: readonly string[];
  create: () => HandoffStores;
}

/** The in-memory stores of @handoff/core with one part replaced by `breakIt`. */
export function brokenStores(
  fails: readonly string[],
  breakIt: (stores: HandoffStores) => HandoffStores,
): BrokenStores {
  return { fails, create: () => breakIt(createInMemoryStores()) };
}

import { basicBugs } from './basics.js';
import type { BrokenAdapter } from './broken-adapter.js';
import { inputBugs, limitBugs } from './inputs-and-limits.js';
import { oneOperationBugs } from './one-operation.js';
import { optionBugs, severalBugs } from './options-and-several.js';
import { echoBugs, recoverBugs } from './recover-and-echoes.js';
import { secretBugs, timeBugs } from './secrets-and-time.js';

export type { BrokenAdapter, BugKind } from './broken-adapter.js';

/**
 * Deliberately broken variants of the reference adapter, each with one realistic bug. The kit must
 * fail exactly the points about that bug and pass all the others.
 */
export const brokenAdapters: Record<string, BrokenAdapter> = {
  ...basicBugs,
  ...inputBugs,
  ...limitBugs,
  ...optionBugs,
  ...severalBugs,
  ...oneOperationBugs,
  ...secretBugs,
  ...timeBugs,
  ...recoverBugs,
  ...echoBugs,
};

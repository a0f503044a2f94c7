// `pnpm --filter @handoff/sunshine conformance` (after `pnpm --filter @handoff/sunshine build`):
// the support contract against the fake Sunshine Conversations, one line per contract point, then the points
// still missing.
import { createSunshineHarness, sunshineAdapterFor } from './dist/testing/index.js';

export default {
  name: 'sunshine (fake Sunshine Conversations)',
  harness: () => createSunshineHarness(),
  createAdapter: (harness, context) => sunshineAdapterFor(harness.fake, context),
};

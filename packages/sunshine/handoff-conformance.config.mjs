// `pnpm --filter @handoff/sunshine conformance` (after `pnpm --filter @handoff/sunshine build`):
// the support contract against the fake Sunshine Conversations, one line per contract point, then the points
// still missing.
import { createSunshineAdapter } from './dist/index.js';
import { createSunshineHarness, sunshineSettingsFor } from './dist/testing/index.js';

export default {
  name: 'sunshine (fake Sunshine Conversations)',
  harness: () => createSunshineHarness(),
  createAdapter: (harness, context) =>
    createSunshineAdapter({
      ...sunshineSettingsFor(harness.fake),
      requestTimeoutMs: context.requestTimeoutMs,
      replayGuard: context.replayGuard,
      env: {},
    }),
};

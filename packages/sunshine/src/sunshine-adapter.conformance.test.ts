import { describeSupportAdapter } from '@handoff/conformance';
import { describe } from 'vitest';
import { createSunshineAdapter } from './sunshine-adapter.js';
import { createSunshineHarness, sunshineSettingsFor } from './testing/index.js';

// The whole support contract against the fake Sunshine Conversations: one vitest test per contract point.
// Skipped until the fake serves the external-mode routes (src/testing is being written): every point
// would fail on the scaffold fake, which has no routes yet.
describe.skip('waiting for the fake Sunshine Conversations (src/testing has no routes yet)', () => {
  describeSupportAdapter({
    name: 'sunshine (fake Sunshine Conversations)',
    harness: () => createSunshineHarness(),
    createAdapter: (harness, context) =>
      createSunshineAdapter({
        ...sunshineSettingsFor(harness.fake),
        requestTimeoutMs: context.requestTimeoutMs,
        replayGuard: context.replayGuard,
        env: {},
      }),
    requestTimeoutMs: 1_000,
  });
});

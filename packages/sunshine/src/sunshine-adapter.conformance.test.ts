import { describeSupportAdapter } from '@handoff/conformance';
import { createSunshineAdapter } from './sunshine-adapter.js';
import { createSunshineHarness, sunshineSettingsFor } from './testing/index.js';

// The whole support contract against the fake Sunshine Conversations: one vitest test per contract point.
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

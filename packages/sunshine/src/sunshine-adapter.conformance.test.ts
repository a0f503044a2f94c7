import { describeSupportAdapter } from '@handoff/conformance';
import { createSunshineHarness, sunshineAdapterFor } from './testing/index.js';

// The whole support contract against the fake Sunshine Conversations: one vitest test per contract point.
describeSupportAdapter({
  name: 'sunshine (fake Sunshine Conversations)',
  harness: () => createSunshineHarness(),
  createAdapter: (harness, context) => sunshineAdapterFor(harness.fake, context),
  requestTimeoutMs: 1_000,
});

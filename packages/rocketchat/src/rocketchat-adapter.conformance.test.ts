import { describeSupportAdapter } from '@handoff/conformance';
import { createRocketchatAdapter } from './rocketchat-adapter.js';
import { createRocketchatHarness, rocketchatSettingsFor } from './testing/index.js';

// The whole support contract against the fake Rocket.Chat: one vitest test per contract point.
describeSupportAdapter({
  name: 'rocketchat (fake Rocket.Chat)',
  harness: () => createRocketchatHarness(),
  createAdapter: (harness, context) =>
    createRocketchatAdapter({
      ...rocketchatSettingsFor(harness.fake),
      requestTimeoutMs: context.requestTimeoutMs,
      // The kit's replay guard runs on its clock: pass it on once the adapter takes one.
      env: {},
    }),
  requestTimeoutMs: 1_000,
});

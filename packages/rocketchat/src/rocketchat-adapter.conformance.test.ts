import { describeSupportAdapter } from '@handoff/conformance';
import { createRocketChatAdapter } from './rocketchat-adapter.js';
import { createRocketChatHarness, rocketChatSettingsFor } from './testing/index.js';

// The whole support contract against the fake Rocket.Chat: one vitest test per contract point.
describeSupportAdapter({
  name: 'rocketchat (fake Rocket.Chat)',
  harness: () => createRocketChatHarness(),
  createAdapter: (harness, context) =>
    createRocketChatAdapter({
      ...rocketChatSettingsFor(harness.fake),
      requestTimeoutMs: context.requestTimeoutMs,
      replayGuard: context.replayGuard,
      env: {},
    }),
  requestTimeoutMs: 1_000,
});

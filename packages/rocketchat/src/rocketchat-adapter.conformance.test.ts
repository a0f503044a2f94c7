import { describeSupportAdapter } from '@handoff/conformance';
import { createRocketChatHarness, rocketChatAdapterFor } from './testing/index.js';

// The whole support contract against the fake Rocket.Chat: one vitest test per contract point.
describeSupportAdapter({
  name: 'rocketchat (fake Rocket.Chat)',
  harness: () => createRocketChatHarness(),
  createAdapter: (harness, context) => rocketChatAdapterFor(harness.fake, context),
  requestTimeoutMs: 1_000,
});

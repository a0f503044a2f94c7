// `pnpm --filter @handoff/rocketchat conformance` (after `pnpm --filter @handoff/rocketchat build`):
// the support contract against the fake Rocket.Chat, one line per contract point, then the points
// still missing.
import { createRocketChatAdapter } from './dist/index.js';
import { createRocketchatHarness, rocketchatSettingsFor } from './dist/testing/index.js';

export default {
  name: 'rocketchat (fake Rocket.Chat)',
  harness: () => createRocketchatHarness(),
  createAdapter: (harness, context) =>
    createRocketChatAdapter({
      ...rocketchatSettingsFor(harness.fake),
      requestTimeoutMs: context.requestTimeoutMs,
      // The kit's replay guard runs on its clock: pass it on once the adapter takes one.
      env: {},
    }),
};

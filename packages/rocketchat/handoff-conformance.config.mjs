// `pnpm --filter @handoff/rocketchat conformance` (after `pnpm --filter @handoff/rocketchat build`):
// the support contract against the fake Rocket.Chat, one line per contract point, then the points
// still missing.
import { createRocketChatHarness, rocketChatAdapterFor } from './dist/testing/index.js';

export default {
  name: 'rocketchat (fake Rocket.Chat)',
  harness: () => createRocketChatHarness(),
  createAdapter: (harness, context) => rocketChatAdapterFor(harness.fake, context),
};

import { describeBotHostAdapter } from '@handoff/conformance';
import { createRocketChatBotHostHarness, rocketChatBotAgentFor } from './testing/index.js';

// The whole internal-mode contract against the fake Rocket.Chat, the bot a bot agent.
describeBotHostAdapter({
  name: 'rocketchat bot agent (fake Rocket.Chat)',
  harness: () => createRocketChatBotHostHarness(),
  createAdapter: (harness, context) => rocketChatBotAgentFor(harness.fake, context),
  requestTimeoutMs: 1_000,
});

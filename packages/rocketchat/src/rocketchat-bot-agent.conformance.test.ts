import { describeBotHostAdapter } from '@handoff/conformance';
import { createRocketChatBotAgent } from './rocketchat-bot-agent.js';
import { createRocketChatBotHostHarness, rocketChatBotAgentSettingsFor } from './testing/index.js';

// The whole internal-mode contract against the fake Rocket.Chat, the bot a bot agent.
describeBotHostAdapter({
  name: 'rocketchat bot agent (fake Rocket.Chat)',
  harness: () => createRocketChatBotHostHarness(),
  createAdapter: (harness, context) =>
    createRocketChatBotAgent({
      ...rocketChatBotAgentSettingsFor(harness.fake),
      requestTimeoutMs: context.requestTimeoutMs,
      env: {},
    }),
  requestTimeoutMs: 1_000,
});

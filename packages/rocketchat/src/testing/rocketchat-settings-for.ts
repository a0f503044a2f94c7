import type { RocketChatBotAgentSettings } from '../rocketchat-bot-agent-settings.js';
import type { RocketChatSettings } from '../rocketchat-settings.js';
import type { FakeRocketChat } from './fake-rocketchat-server.js';

/** Settings that point the adapter (external mode) at a fake Rocket.Chat, as its manager user. */
export function rocketChatSettingsFor(fake: FakeRocketChat): RocketChatSettings {
  return {
    baseUrl: fake.baseUrl,
    userId: fake.userId,
    authToken: fake.authToken,
    webhookSecret: fake.webhookSecret,
  };
}

/** Settings that point the bot agent (internal mode) at a fake Rocket.Chat, as its bot user. */
export function rocketChatBotAgentSettingsFor(fake: FakeRocketChat): RocketChatBotAgentSettings {
  return {
    baseUrl: fake.baseUrl,
    userId: fake.botUserId,
    authToken: fake.botAuthToken,
    webhookSecret: fake.webhookSecret,
  };
}

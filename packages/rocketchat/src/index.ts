export {
  createRocketChatAdapter,
  rocketChatCapabilities,
  rocketChatUserIdField,
  rocketChatWebhookSecretHeader,
} from './rocketchat-adapter.js';
export { createRocketChatBotAgent } from './rocketchat-bot-agent.js';
export {
  type ResolvedRocketChatBotAgentSettings,
  type RocketChatBotAgentSettings,
  type RocketChatBotAgentSettingsInput,
  resolveRocketChatBotAgentSettings,
  rocketChatBotAgentEnvironment,
  rocketChatBotAgentSettingsFields,
  rocketChatBotAgentSettingsSchema,
} from './rocketchat-bot-agent-settings.js';
export {
  createRocketChatClient,
  type RocketChatClient,
  type RocketChatClientSettings,
} from './rocketchat-client.js';
export { rocketChatError, rocketChatErrorName } from './rocketchat-errors.js';
export { messageIdFor, visitorTokenFor } from './rocketchat-identifiers.js';
export {
  type ResolvedRocketChatSettings,
  type RocketChatSettings,
  type RocketChatSettingsInput,
  resolveRocketChatSettings,
  rocketChatEnvironment,
  rocketChatSettingsFields,
  rocketChatSettingsSchema,
} from './rocketchat-settings.js';
export { verifyLivechatToken } from './rocketchat-webhook-secret.js';
export { botHostEvents } from './webhook/rocketchat-bot-events.js';
export { type WebhookEventContext, webhookEvents } from './webhook/rocketchat-webhook-events.js';
export { type WebhookPayload, webhookPayloadSchema } from './webhook/rocketchat-webhook-payload.js';

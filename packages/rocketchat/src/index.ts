export {
  createRocketChatAdapter,
  rocketChatCapabilities,
  rocketChatUserIdField,
  rocketChatWebhookSecretHeader,
} from './rocketchat-adapter.js';
export { createRocketChatClient, type RocketChatClient } from './rocketchat-client.js';
export { rocketChatError, rocketChatErrorName } from './rocketchat-errors.js';
export { messageIdFor, visitorTokenFor } from './rocketchat-identifiers.js';
export {
  type ResolvedRocketChatSettings,
  type RocketChatSettings,
  type RocketChatSettingsInput,
  type RocketchatSettings,
  resolveRocketChatSettings,
  rocketChatEnvironment,
  rocketChatSettingsFields,
  rocketChatSettingsSchema,
} from './rocketchat-settings.js';
export { type WebhookEventContext, webhookEvents } from './webhook/rocketchat-webhook-events.js';
export { type WebhookPayload, webhookPayloadSchema } from './webhook/rocketchat-webhook-payload.js';

export { chatwootCapabilities, chatwootWebhookHeaders, createChatwootAdapter } from './chatwoot-adapter.js';
export { chatwootError } from './chatwoot-errors.js';
export {
  type ChatwootSettings,
  type ChatwootSettingsInput,
  chatwootEnvironment,
  chatwootSettingsFields,
  chatwootSettingsSchema,
  type ResolvedChatwootSettings,
  resolveChatwootSettings,
} from './chatwoot-settings.js';
export {
  chatwootWebhookEvents,
  handoffAttribute,
  sessionAttribute,
  sourceIdPrefix,
  type WebhookEventContext,
} from './webhook/chatwoot-webhook-events.js';

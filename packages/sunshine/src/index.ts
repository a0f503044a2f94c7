export {
  createSunshineAdapter,
  refuseUnpostable,
  sunshineCapabilities,
  sunshineTextMax,
} from './sunshine-adapter.js';
export { sunshineError } from './sunshine-errors.js';
export { agentWorkspaceIntegrationType, agentWorkspaceMetadata, metadataKeys } from './sunshine-metadata.js';
export {
  type ResolvedSunshineSettings,
  resolveSunshineSettings,
  type SunshineSettings,
  type SunshineSettingsInput,
  sunshineConnectionFields,
  sunshineEnvironment,
  sunshineSettingsFields,
} from './sunshine-settings.js';
export { createSunshineSwitchboardBot } from './sunshine-switchboard-bot.js';
export {
  type ResolvedSunshineSwitchboardBotSettings,
  resolveSunshineSwitchboardBotSettings,
  type SunshineSwitchboardBotSettings,
  type SunshineSwitchboardBotSettingsInput,
  sunshineSwitchboardBotEnvironment,
  sunshineSwitchboardBotSettingsFields,
} from './sunshine-switchboard-bot-settings.js';
export { type BotHostEventContext, botHostEventsOf, holderOfActive } from './webhook/bot-host-events.js';
export {
  parseDelivery,
  receiveDelivery,
  replayWindowSeconds,
  type SunshineWebhookEvent,
  sunshineSecretHeader,
  verifySharedSecret,
} from './webhook/sunshine-webhook.js';
export { type SupportEventContext, supportEventsOf } from './webhook/support-events.js';

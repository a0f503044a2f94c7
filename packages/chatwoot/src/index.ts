export { chatwootCapabilities, chatwootWebhookHeaders, createChatwootAdapter } from './chatwoot-adapter.js';
export { createChatwootAgentBot } from './chatwoot-agent-bot.js';
export {
  type ChatwootAgentBotSettings,
  type ChatwootAgentBotSettingsInput,
  chatwootAgentBotEnvironment,
  chatwootAgentBotSettingsFields,
  chatwootAgentBotSettingsSchema,
  type ResolvedChatwootAgentBotSettings,
  resolveChatwootAgentBotSettings,
} from './chatwoot-agent-bot-settings.js';
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
export { chatwootWebhookSubscriptions } from './chatwoot-webhook-registration.js';
export { type ChatwootProvisioner, createChatwootProvisioner } from './provisioning/chatwoot-provisioner.js';
export type {
  ChatwootProvisionerSettings,
  DeprovisionedOrganization,
  DeprovisionOrganizationOptions,
  ProvisionedChatwootSettings,
  ProvisionedOrganization,
  ProvisionedOwner,
  ProvisioningReport,
  ProvisionOrganizationOptions,
  RefusedOwner,
} from './provisioning/chatwoot-provisioner-options.js';
export { agentBotWebhookEvents, holderOf } from './webhook/agent-bot-events.js';
export {
  chatwootWebhookEvents,
  handoffAttribute,
  sessionAttribute,
  sourceIdPrefix,
  type WebhookEventContext,
} from './webhook/chatwoot-webhook-events.js';

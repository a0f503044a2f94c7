export { createRocketchatAdapter, rocketchatCapabilities } from './rocketchat-adapter.js';
export {
  type ResolvedRocketchatSettings,
  type RocketchatSettings,
  type RocketchatSettingsInput,
  resolveRocketchatSettings,
  rocketchatEnvironment,
  rocketchatSettingsFields,
  rocketchatSettingsSchema,
} from './rocketchat-settings.js';

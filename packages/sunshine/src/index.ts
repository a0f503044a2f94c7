export { createSunshineAdapter, sunshineCapabilities } from './sunshine-adapter.js';
export {
  type ResolvedSunshineSettings,
  resolveSunshineSettings,
  type SunshineSettings,
  type SunshineSettingsInput,
  sunshineEnvironment,
  sunshineSettingsFields,
  sunshineSettingsSchema,
} from './sunshine-settings.js';

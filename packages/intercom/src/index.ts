export { createIntercomAdapter, intercomCapabilities, intercomSignatureHeader } from './intercom-adapter.js';
export { intercomError } from './intercom-errors.js';
export {
  type IntercomSettings,
  type IntercomSettingsInput,
  intercomEnvironment,
  intercomSettingsFields,
  intercomSettingsSchema,
  type ResolvedIntercomSettings,
  resolveIntercomSettings,
} from './intercom-settings.js';
export { type PartEventContext, partEvents } from './webhook/intercom-part-events.js';
export { plainText } from './webhook/plain-text.js';

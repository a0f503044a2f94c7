export {
  type FakeSunshine,
  type FakeSunshineContext,
  type FakeSunshineRequest,
  type FakeSunshineRoute,
  harnessHeader,
  startFakeSunshine,
} from './fake-sunshine-server.js';
export { createSunshineHarness, type SunshineHarness } from './sunshine-harness.js';
export { sunshineSettingsFor } from './sunshine-settings-for.js';

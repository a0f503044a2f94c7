export {
  type FakeRocketchat,
  type FakeRocketchatContext,
  type FakeRocketchatRequest,
  type FakeRocketchatRoute,
  harnessHeader,
  startFakeRocketchat,
} from './fake-rocketchat-server.js';
export { createRocketchatHarness, type RocketchatHarness } from './rocketchat-harness.js';
export { rocketchatSettingsFor } from './rocketchat-settings-for.js';

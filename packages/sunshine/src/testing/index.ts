export type { FakeConversation, FakeMessage, FakeTicket, FakeUser } from './fake-records.js';
export {
  type FakeSunshine,
  type FakeSunshineContext,
  type FakeSunshineOptions,
  type FakeSunshineRequest,
  type FakeSunshineRoute,
  harnessHeader,
  startFakeSunshine,
} from './fake-sunshine-server.js';
export {
  createSunshineBotHostHarness,
  holderOf,
  type SunshineBotHostHarness,
} from './sunshine-bot-host-harness.js';
export { createSunshineHarness, type SunshineHarness } from './sunshine-harness.js';
export {
  type SunshineKitContext,
  sunshineAdapterFor,
  sunshineSwitchboardBotFor,
} from './sunshine-kit-adapters.js';
export {
  sunshineConnectionFor,
  sunshineSettingsFor,
  sunshineSwitchboardSettingsFor,
} from './sunshine-settings-for.js';

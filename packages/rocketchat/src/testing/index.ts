export type {
  FakeDepartment,
  FakeMessage,
  FakeRoom,
  FakeServedBy,
  FakeUser,
  FakeVisitor,
} from './fake-records.js';
export {
  type FakeRocketChat,
  type FakeRocketChatOptions,
  harnessHeader,
  startFakeRocketChat,
} from './fake-rocketchat-server.js';
export type { FakeWorkspaceSettings } from './fake-state.js';
export {
  createRocketChatBotHostHarness,
  holderOfRoom,
  type RocketChatBotHostHarness,
} from './rocketchat-bot-host-harness.js';
export { createRocketChatHarness, type RocketChatHarness } from './rocketchat-harness.js';
export {
  type KitAdapterContext,
  rocketChatAdapterFor,
  rocketChatBotAgentFor,
} from './rocketchat-kit-adapters.js';
export { rocketChatBotAgentSettingsFor, rocketChatSettingsFor } from './rocketchat-settings-for.js';

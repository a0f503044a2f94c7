export type { FakeFault, RandomFaultKind, RandomFaults, RecordedRequest } from '@handoff/fake-server';
export {
  type ChatwootBotHostHarness,
  createChatwootBotHostHarness,
} from './chatwoot-bot-host-harness.js';
export { type ChatwootHarness, createChatwootHarness } from './chatwoot-harness.js';
export { chatwootAgentBotSettingsFor, chatwootSettingsFor } from './chatwoot-settings-for.js';
export type { AccountWebhookListener, AccountWebhookTarget } from './fake-account-webhook-delivery.js';
export { type FakeAccountSnapshot, type FakeChatwoot, startFakeChatwoot } from './fake-chatwoot-server.js';
export type {
  FakeAccountRecord,
  FakeEmail,
  FakePermissible,
  FakeUserRecord,
} from './fake-platform-records.js';
export type {
  FakeAccountWebhook,
  FakeAgentBot,
  FakeAttachment,
  FakeContact,
  FakeContactInbox,
  FakeConversation,
  FakeConversationStatus,
  FakeInbox,
  FakeMessage,
  FakeMessageStatus,
  FakeMessageType,
  FakeNotification,
  FakeSender,
  FakeTeam,
  FakeUser,
  FakeWorkingHours,
} from './fake-records.js';
export type { FakeChatwootSettings } from './fake-settings.js';

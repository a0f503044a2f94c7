export type { FakeFault, RecordedRequest, RecordedResponse } from '@handoff/fake-server';
export { type FakeIntercom, startFakeIntercom } from './fake-intercom-server.js';
export type {
  FakeAdmin,
  FakeAttachment,
  FakeAuthor,
  FakeContact,
  FakeContactRole,
  FakeConversation,
  FakeConversationState,
  FakeFileInfo,
  FakePart,
  FakePartType,
  FakeSource,
  FakeTeam,
} from './fake-records.js';
export type { FakeIntercomSettings } from './fake-settings.js';
export { createIntercomHarness, type IntercomHarness } from './intercom-harness.js';
export { intercomSettingsFor } from './intercom-settings-for.js';

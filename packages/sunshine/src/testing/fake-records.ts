/** The records the fake Sunshine Conversations (and the Zendesk Support side) keeps. */

export type FakeMetadata = Record<string, string | number | boolean>;

export interface FakeUser {
  id: string;
  externalId: string | undefined;
  profile: { givenName?: string; surname?: string; email?: string; locale?: string };
  metadata: FakeMetadata;
  signedUpAt: string;
}

/** `switchboardIntegration` (spec schema): a bot or agent system in the app's switchboard. */
export interface FakeSwitchboardIntegration {
  id: string;
  name: string;
  integrationId: string;
  integrationType: string;
  deliverStandbyEvents: boolean;
  nextSwitchboardIntegrationId: string | undefined;
  messageHistoryCount: number;
}

export interface FakeAuthor {
  type: 'user' | 'business';
  userId?: string;
  displayName?: string;
  avatarUrl?: string;
  subtypes?: string[];
}

export interface FakeMessage {
  id: string;
  received: string;
  author: FakeAuthor;
  content: { type: 'text'; text: string };
  source: { type: string; integrationId?: string };
  metadata: FakeMetadata | undefined;
  /** `destination.integrationType: 'none'`: kept in the conversation, sent to no channel. */
  silent: boolean;
}

export interface FakeConversation {
  id: string;
  type: 'personal' | 'sdkGroup';
  isDefault: boolean;
  participants: string[];
  metadata: FakeMetadata;
  activeSwitchboardIntegrationId: string | undefined;
  pendingSwitchboardIntegrationId: string | undefined;
  messages: FakeMessage[];
  createdAt: string;
  /** The messaging ticket the Agent Workspace made when control passed to it (latest). */
  ticketId: number | undefined;
}

/** A Zendesk Support group (the teams). */
export interface FakeGroup {
  id: number;
  name: string;
  deleted: boolean;
}

/** A Zendesk messaging ticket made by a passControl to the Agent Workspace. */
export interface FakeTicket {
  id: number;
  conversationId: string;
  status: 'new' | 'open' | 'pending' | 'solved' | 'closed';
  tags: string[];
  groupId: number | undefined;
  assigneeId: number | undefined;
  /** `first_message_id` of the passControl: where the transcript in the ticket starts. */
  firstMessageId: string | undefined;
  /** The agents' internal notes (ticket comments: no Sunshine webhook carries them). */
  privateComments: string[];
}

/** A Zendesk agent the harness acts as. */
export interface FakeAgent {
  id: number;
  name: string;
}

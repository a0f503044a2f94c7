import type { FakeConversation, FakeMessage, FakeSwitchboardIntegration, FakeUser } from './fake-records.js';
import { type FakeState, findSwitchboardIntegration } from './fake-state.js';

/** `user` (spec schema): id, externalId, profile, metadata, signedUpAt, identities. */
export const userView = (user: FakeUser) => ({
  id: user.id,
  ...(user.externalId === undefined ? {} : { externalId: user.externalId }),
  signedUpAt: user.signedUpAt,
  toBeRetained: false,
  profile: { ...user.profile },
  metadata: { ...user.metadata },
  identities: [],
});

/** `switchboardIntegrationWebhook`: who holds (or is offered) a conversation. */
export const switchboardRefView = (integration: FakeSwitchboardIntegration) => ({
  id: integration.id,
  name: integration.name,
  integrationId: integration.integrationId,
  integrationType: integration.integrationType,
});

/** `conversationTruncated`: the switchboard fields are omitted when there is none (spec). */
export function conversationTruncatedView(state: FakeState, conversation: FakeConversation) {
  const active = findSwitchboardIntegration(state, conversation.activeSwitchboardIntegrationId);
  const pending = findSwitchboardIntegration(state, conversation.pendingSwitchboardIntegrationId);
  return {
    id: conversation.id,
    type: conversation.type,
    metadata: { ...conversation.metadata },
    ...(active === undefined ? {} : { activeSwitchboardIntegration: switchboardRefView(active) }),
    ...(pending === undefined ? {} : { pendingSwitchboardIntegration: switchboardRefView(pending) }),
  };
}

/** `conversation` (spec schema). */
export function conversationView(state: FakeState, conversation: FakeConversation) {
  return {
    ...conversationTruncatedView(state, conversation),
    isDefault: conversation.isDefault,
    displayName: null,
    description: null,
    iconUrl: null,
    businessLastRead: null,
    lastUpdatedAt: conversation.messages.at(-1)?.received ?? conversation.createdAt,
    createdAt: conversation.createdAt,
  };
}

/** `message` (spec schema). */
export const messageView = (message: FakeMessage) => ({
  id: message.id,
  received: message.received,
  author: { ...message.author },
  content: { ...message.content },
  source: { ...message.source },
  metadata: message.metadata === undefined ? null : { ...message.metadata },
});

/** `messageWebhook` (spec schema): the author as `authorWebhook`, with the user for user messages. */
export function messageWebhookView(state: FakeState, message: FakeMessage) {
  const user =
    message.author.userId === undefined
      ? undefined
      : state.users.find((candidate) => candidate.id === message.author.userId);
  return {
    ...messageView(message),
    author: {
      ...message.author,
      ...(user === undefined ? {} : { user: userView(user) }),
    },
  };
}

/** `switchboardIntegration` (spec schema). */
export const switchboardIntegrationView = (integration: FakeSwitchboardIntegration) => ({
  id: integration.id,
  name: integration.name,
  integrationId: integration.integrationId,
  integrationType: integration.integrationType,
  deliverStandbyEvents: integration.deliverStandbyEvents,
  nextSwitchboardIntegrationId: integration.nextSwitchboardIntegrationId ?? null,
  messageHistoryCount: integration.messageHistoryCount,
});

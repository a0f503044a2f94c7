import type {
  FakeAuthor,
  FakeConversation,
  FakeMessage,
  FakeSwitchboardIntegration,
  FakeUser,
} from './fake-records.js';
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
const switchboardRefView = (integration: FakeSwitchboardIntegration) => ({
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
    // Omitted when empty, as in the spec's webhook examples.
    ...(Object.keys(conversation.metadata).length === 0 ? {} : { metadata: { ...conversation.metadata } }),
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

/**
 * `authorWebhook`: a user author carries their display name and a short `user` (id, externalId,
 * authenticated; the profile only with the webhook's `includeFullUser`, which ours does not set),
 * as the spec's conversation:message example shows.
 */
function authorWebhookView(state: FakeState, author: FakeAuthor) {
  const user =
    author.userId === undefined ? undefined : state.users.find((candidate) => candidate.id === author.userId);
  if (user === undefined) return { ...author };
  const name = [user.profile.givenName, user.profile.surname].filter(Boolean).join(' ');
  return {
    ...author,
    ...(name === '' ? {} : { displayName: name }),
    user: {
      id: user.id,
      ...(user.externalId === undefined ? {} : { externalId: user.externalId }),
      authenticated: false,
    },
  };
}

/** `messageWebhook` (spec schema). */
export const messageWebhookView = (state: FakeState, message: FakeMessage) => ({
  ...messageView(message),
  author: authorWebhookView(state, message.author),
});

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

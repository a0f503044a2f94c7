import type { FakeSunshineContext } from './fake-context.js';
import { sunshineId } from './fake-ids.js';
import { addMessage } from './fake-message-routes.js';
import type { FakeConversation, FakeMessage } from './fake-records.js';
import { ourIntegration } from './fake-state.js';

/**
 * A Zendesk-owned channel (Web Widget, WhatsApp): someone writes first, so the channel makes the
 * user and their conversation; the switchboard's first integration (ours, the bot) holds it.
 */
export function startChannelConversation(
  context: FakeSunshineContext,
  externalId: string,
  name: string,
): FakeConversation {
  const { state } = context;
  let user = state.users.find((candidate) => candidate.externalId === externalId);
  if (user === undefined) {
    user = {
      id: sunshineId(),
      externalId,
      profile: { givenName: name },
      metadata: {},
      signedUpAt: new Date().toISOString(),
    };
    state.users.push(user);
  }
  const conversation: FakeConversation = {
    id: sunshineId(),
    type: 'personal',
    isDefault: !state.conversations.some((candidate) => candidate.participants.includes(user.id)),
    participants: [user.id],
    metadata: {},
    activeSwitchboardIntegrationId: ourIntegration(state).id,
    pendingSwitchboardIntegrationId: undefined,
    messages: [],
    createdAt: new Date().toISOString(),
    ticketId: undefined,
  };
  state.conversations.push(conversation);
  return conversation;
}

/** The user writes from their channel: a user message with the channel as its source. */
export function userWrites(
  context: FakeSunshineContext,
  conversation: FakeConversation,
  text: string,
): FakeMessage {
  const userId = conversation.participants[0];
  if (userId === undefined) throw new Error(`conversation ${conversation.id} has no user`);
  return addMessage(context, conversation, {
    author: { type: 'user', userId },
    content: { type: 'text', text },
    source: { type: 'web', integrationId: sunshineId() },
    metadata: undefined,
    silent: false,
  });
}

import type { HarnessUser, SupportHarness, Team } from '@handoff/core';
import { createWebhookRecorder } from '@handoff/fake-server';
import { sunshineId } from './fake-ids.js';
import { type FakeSunshine, type FakeSunshineOptions, startFakeSunshine } from './fake-sunshine-server.js';
import { harnessConversation } from './harness-views.js';

/** The kit's independent view of the fake Sunshine Conversations: it reads the fake's state, never the adapter's word. */
export interface SunshineHarness extends SupportHarness {
  fake: FakeSunshine;
}

/**
 * A fresh fake Sunshine Conversations and the harness over it: state read from the fake, the
 * agent played as the Zendesk Agent Workspace (replies, typing, ticket assignment and solve),
 * webhooks as the fake delivers them (`X-API-Key`, no signature).
 */
export async function createSunshineHarness(options: FakeSunshineOptions = {}): Promise<SunshineHarness> {
  const fake = await startFakeSunshine(options);
  const recorder = createWebhookRecorder({ subscribe: fake.onWebhook, idle: fake.idle });
  const conversationOrThrow = (conversationId: string) => {
    const conversation = fake.context.state.conversations.find(
      (candidate) => candidate.id === conversationId,
    );
    if (conversation === undefined)
      throw new Error(`the fake Sunshine Conversations has no conversation ${conversationId}`);
    return conversation;
  };
  const workspace = fake.agentWorkspace;
  return {
    fake,
    agentName: workspace.name,
    features: {
      // Sunshine Conversations documents no Retry-After (exponential backoff is asked for).
      retryAfterHint: false,
      timestampedSignatures: false,
      sharedSecretHeader: 'x-api-key',
      lostAnswers: true,
    },
    async teams(): Promise<Team[]> {
      return fake
        .groups()
        .filter((group) => !group.deleted)
        .map((group) => ({ id: String(group.id), name: group.name }));
    },
    async findUsers({ externalId }): Promise<HarnessUser[]> {
      return fake
        .users()
        .filter((user) => user.externalId === externalId)
        .map((user) => {
          const name = [user.profile.givenName, user.profile.surname].filter(Boolean).join(' ');
          return {
            supportUserId: user.id,
            externalId,
            ...(name === '' ? {} : { name }),
            ...(user.profile.email === undefined ? {} : { email: user.profile.email }),
          };
        });
    },
    async getConversation(conversationId) {
      const conversation = fake.conversation(conversationId);
      return conversation === undefined ? undefined : harnessConversation(fake, conversation);
    },
    async unknownConversationId() {
      return sunshineId();
    },
    async conversationsOf(supportUserId) {
      return fake
        .conversations()
        .filter((conversation) => conversation.participants.includes(supportUserId))
        .map((conversation) => conversation.id);
    },
    agentReply: (conversationId, reply) =>
      recorder.during(async () => {
        workspace.reply(conversationOrThrow(conversationId), reply.text);
      }),
    agentNote: (conversationId, text) =>
      recorder.during(async () => {
        workspace.note(conversationOrThrow(conversationId), text);
      }),
    agentTyping: (conversationId, typing) =>
      recorder.during(async () => {
        workspace.typing(conversationOrThrow(conversationId), typing);
      }),
    assignAgent: (conversationId) =>
      recorder.during(async () => {
        workspace.assign(conversationOrThrow(conversationId));
      }),
    resolve: (conversationId) =>
      recorder.during(async () => {
        workspace.solve(conversationOrThrow(conversationId));
      }),
    takeWebhooks: () => recorder.take(),
    // The credentials the adapter is given: the kit searches errors and logs for them.
    secrets: [fake.keySecret, fake.webhookSecret, fake.zendeskApiToken],
    injectFault: (fault, faultOptions = {}) => fake.injectFault(fault, faultOptions),
    clearFaults: () => fake.clearFaults(),
    async close() {
      recorder.stop();
      await fake.close();
    },
  };
}

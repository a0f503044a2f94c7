import type { SupportHarness, Team } from '@handoff/core';
import { createWebhookRecorder } from '@handoff/fake-server';
import { agentCloses, agentWrites, firstAgent, humanServing, liveRoom } from './fake-agent-actions.js';
import { rocketChatId } from './fake-ids.js';
import { roomById, takeRoom } from './fake-omnichannel.js';
import {
  type FakeRocketChat,
  type FakeRocketChatOptions,
  startFakeRocketChat,
} from './fake-rocketchat-server.js';
import { harnessConversation } from './harness-views.js';

/** The kit's independent view of the fake Rocket.Chat: it reads the fake's state, never the adapter's word. */
export interface RocketChatHarness extends SupportHarness {
  fake: FakeRocketChat;
}

/**
 * A fresh fake Rocket.Chat (external mode) and the harness over it: the agents Ana (Sales) and
 * Ben (Billing) take, answer and close rooms; the Livechat webhook goes to the kit.
 */
export async function createRocketChatHarness(
  options: FakeRocketChatOptions = {},
): Promise<RocketChatHarness> {
  const fake = await startFakeRocketChat(options);
  const recorder = createWebhookRecorder({ subscribe: fake.onWebhook, idle: fake.idle });
  const { state } = fake;
  const ana = firstAgent(fake);
  /**
   * The user a visitor stands for: the first visitor with the same `handoff_user_id` (agents see
   * one visitor per handoff, all with the user's custom field), else the visitor itself.
   */
  const contactOf = (visitorId: string): string => {
    const visitor = state.visitors.find((candidate) => candidate._id === visitorId);
    const userId = visitor?.livechatData.handoff_user_id;
    if (userId === undefined) return visitorId;
    return (
      state.visitors.find((candidate) => candidate.livechatData.handoff_user_id === userId)?._id ?? visitorId
    );
  };
  return {
    fake,
    agentName: ana.name,
    features: {
      // The 429 carries X-RateLimit-Reset (epoch ms).
      retryAfterHint: true,
      timestampedSignatures: false,
      sharedSecretHeader: 'x-rocketchat-livechat-token',
      // sendRequest sends no delivery id, but a retry sends the same body: the adapter's id of a
      // delivery is the body's digest, which a replay repeats.
      deliveryIds: true,
      lostAnswers: true,
    },
    async teams(): Promise<Team[]> {
      return state.departments
        .filter((department) => department.enabled)
        .map((department) => ({ id: department._id, name: department.name }));
    },
    async findUsers({ externalId }) {
      return state.visitors
        .filter(
          (visitor) =>
            visitor.livechatData.handoff_user_id === externalId && contactOf(visitor._id) === visitor._id,
        )
        .map((visitor) => ({
          supportUserId: visitor._id,
          externalId,
          ...(visitor.name === undefined ? {} : { name: visitor.name }),
          ...(visitor.visitorEmails?.[0] === undefined ? {} : { email: visitor.visitorEmails[0].address }),
        }));
    },
    async getConversation(conversationId) {
      const room = roomById(fake.context, conversationId);
      if (room === undefined) return undefined;
      return {
        ...harnessConversation(state, room, [state.apiUser._id]),
        supportUserId: contactOf(room.v._id),
      };
    },
    unknownConversationId: async () => rocketChatId(),
    async setTeamAvailability(teamId, available) {
      const department = state.departments.find((candidate) => candidate._id === teamId);
      for (const user of state.users) if (department?.agentIds.includes(user._id)) user.available = available;
    },
    conversationsOf: async (supportUserId) =>
      state.rooms.filter((room) => contactOf(room.v._id) === supportUserId).map((room) => room._id),
    agentReply: (conversationId, reply) =>
      recorder.during(async () => {
        const room = liveRoom(fake, conversationId);
        agentWrites(fake, room, humanServing(fake, room), reply.text, reply.attachments);
      }),
    // A livechat room has no message only agents see (agents talk in a discussion, a room of its
    // own that sends no Livechat webhook): nothing reaches the room or the webhook.
    agentNote: (_conversationId) => recorder.during(async () => undefined),
    // Typing goes over the DDP stream only: the Livechat webhook never says it.
    agentTyping: (_conversationId) => recorder.during(async () => undefined),
    assignAgent: (conversationId) =>
      recorder.during(async () => {
        const room = liveRoom(fake, conversationId);
        if (room.servedBy?._id !== ana._id) takeRoom(fake.context, room, ana);
      }),
    resolve: (conversationId) =>
      recorder.during(async () => agentCloses(fake, liveRoom(fake, conversationId))),
    takeWebhooks: () => recorder.take(),
    secrets: [fake.authToken, fake.webhookSecret, fake.botAuthToken],
    injectFault: (fault, options = {}) => fake.injectFault(fault, options),
    clearFaults: () => fake.clearFaults(),
    async close() {
      recorder.stop();
      await fake.close();
    },
  };
}

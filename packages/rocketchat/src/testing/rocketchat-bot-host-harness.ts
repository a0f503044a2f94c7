import { createHash } from 'node:crypto';
import type { BotHostHarness, ConversationHolder, Team } from '@handoff/core';
import { createWebhookRecorder } from '@handoff/fake-server';
import { agentCloses, agentWrites, humanServing, liveRoom } from './fake-agent-actions.js';
import { registerGuest, setVisitorCustomFields } from './fake-guests.js';
import { rocketChatId } from './fake-ids.js';
import { createRoom, forwardToAgent, openRoomOf, roomById, saveMessage } from './fake-omnichannel.js';
import type { FakeRoom } from './fake-records.js';
import {
  type FakeRocketChat,
  type FakeRocketChatOptions,
  startFakeRocketChat,
} from './fake-rocketchat-server.js';
import { harnessConversation } from './harness-views.js';

/** The internal-mode harness over a fresh fake whose new rooms go to the bot agent. */
export interface RocketChatBotHostHarness extends BotHostHarness {
  readonly fake: FakeRocketChat;
}

/** Who holds a room: the bot agent serving it, a human (serving it or the queue), or nobody (closed). */
export function holderOfRoom(fake: FakeRocketChat, room: FakeRoom): ConversationHolder {
  if (!room.open) return 'closed';
  return room.servedBy?._id === fake.botUserId ? 'bot' : 'human';
}

/**
 * A fresh fake Rocket.Chat in which Rocket.Chat owns the channel (the Livechat widget) and the bot
 * is a bot agent: new rooms go to it (`Livechat_assign_new_conversation_to_bot`), visitors'
 * messages reach the runtime by the Livechat webhook (*Visitor Messages* on), Ana takes rooms
 * over (a forward to her), hands them back by forwarding them to the bot, and closes them.
 */
export async function createRocketChatBotHostHarness(
  options: FakeRocketChatOptions = {},
): Promise<RocketChatBotHostHarness> {
  const fake = await startFakeRocketChat({ botDepartment: true, ...options });
  const recorder = createWebhookRecorder({ subscribe: fake.onWebhook, idle: fake.idle });
  const { state, context } = fake;
  const bot = state.botUser;
  return {
    fake,
    features: { sharedSecretHeader: 'x-rocketchat-livechat-token', reportsHandBack: true },
    async teams(): Promise<Team[]> {
      return state.departments
        .filter((department) => department.enabled && !department.agentIds.includes(bot._id))
        .map((department) => ({ id: department._id, name: department.name }));
    },
    async contactWrites(contact, text) {
      let room: FakeRoom | undefined;
      const requests = await recorder.during(async () => {
        // The widget keeps a token per browser and sets the page's user id as a custom field.
        const token = createHash('sha256').update(`widget:${contact.identifier}`).digest('hex').slice(0, 32);
        const visitor = registerGuest(context, {
          token,
          ...(contact.name === undefined ? {} : { name: contact.name }),
          ...(contact.email === undefined ? {} : { email: contact.email }),
        });
        setVisitorCustomFields(context, visitor, [
          { key: 'handoff_user_id', value: contact.identifier, overwrite: true },
        ]);
        // livechat/message: the visitor's open room, or a new one (routed first, then the message).
        room = openRoomOf(context, token) ?? createRoom(context, visitor);
        saveMessage(context, room, {
          _id: rocketChatId(),
          rid: room._id,
          msg: text,
          token,
          ts: state.now(),
          u: {
            _id: visitor._id,
            username: visitor.username,
            ...(visitor.name ? { name: visitor.name } : {}),
          },
        });
      });
      const found = room as unknown as FakeRoom;
      return { conversationId: found._id, contactId: found.v._id, requests };
    },
    async getConversation(conversationId) {
      const room = roomById(context, conversationId);
      if (room === undefined) return undefined;
      return { ...harnessConversation(state, room, [bot._id]), holder: holderOfRoom(fake, room) };
    },
    agentReply: (conversationId, text) =>
      recorder.during(async () => {
        const room = liveRoom(fake, conversationId);
        agentWrites(fake, room, humanServing(fake, room), text);
      }),
    // A livechat room has no agents-only message: colleagues talk in a discussion, which sends no
    // Livechat webhook.
    agentNote: (_conversationId) => recorder.during(async () => undefined),
    agentTakes: (conversationId) =>
      recorder.during(async () => {
        humanServing(fake, liveRoom(fake, conversationId));
      }),
    handBackToBot: (conversationId) =>
      recorder.during(async () => {
        const room = liveRoom(fake, conversationId);
        forwardToAgent(context, room, bot, humanServing(fake, room));
      }),
    resolve: (conversationId) =>
      recorder.during(async () => agentCloses(fake, liveRoom(fake, conversationId))),
    takeBotWebhooks: () => recorder.take(),
    injectFault: (fault, options = {}) => fake.injectFault(fault, options),
    async close() {
      recorder.stop();
      await fake.close();
    },
  };
}

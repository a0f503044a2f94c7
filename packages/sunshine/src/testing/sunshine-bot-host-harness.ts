import type { BotHostHarness, ConversationHolder } from '@handoff/core';
import { createWebhookRecorder } from '@handoff/fake-server';
import { startChannelConversation, userWrites } from './fake-channel.js';
import type { FakeConversation } from './fake-records.js';
import { type FakeSunshine, type FakeSunshineOptions, startFakeSunshine } from './fake-sunshine-server.js';
import { passControl } from './fake-switchboard.js';
import { harnessConversation } from './harness-views.js';

/** The internal-mode harness over a fresh fake whose switchboard puts our bot first. */
export interface SunshineBotHostHarness extends BotHostHarness {
  readonly fake: FakeSunshine;
}

/** Who holds a conversation: our switchboard integration (the bot), the Agent Workspace, or nobody. */
export function holderOf(fake: FakeSunshine, conversation: FakeConversation): ConversationHolder {
  const active = conversation.activeSwitchboardIntegrationId;
  if (active === fake.ourSwitchboardIntegration.id) return 'bot';
  if (active === fake.agentWorkspaceIntegration.id) return 'human';
  return 'closed';
}

/**
 * A fresh fake Sunshine Conversations in which Zendesk owns the channel and our runtime is a
 * switchboard integration: the contact writes from a Zendesk channel (a conversation nobody holds
 * goes to the bot, the switchboard's default), the agent acts in the Agent Workspace (takes the
 * conversation, replies, notes, hands it back to the bot by passControl, solves the ticket: the
 * workspace releases control), and our webhook gets the events of the conversations we are active
 * in, and those of the others while on standby (`deliverStandbyEvents`).
 */
export async function createSunshineBotHostHarness(
  options: FakeSunshineOptions = {},
): Promise<SunshineBotHostHarness> {
  const fake = await startFakeSunshine({ defaultIntegration: 'bot', ...options });
  const recorder = createWebhookRecorder({ subscribe: fake.onWebhook, idle: fake.idle });
  const { context } = fake;
  const { state } = context;
  const live = (conversationId: string) => {
    const conversation = state.conversations.find((candidate) => candidate.id === conversationId);
    if (conversation === undefined)
      throw new Error(`the fake Sunshine Conversations has no conversation ${conversationId}`);
    return conversation;
  };
  const workspace = fake.agentWorkspace;
  const aw = () =>
    state.switchboardIntegrations.find((entry) => entry.id === fake.agentWorkspaceIntegration.id);
  const ours = () =>
    state.switchboardIntegrations.find((entry) => entry.id === fake.ourSwitchboardIntegration.id);

  return {
    fake,
    features: { sharedSecretHeader: 'x-api-key', reportsHandBack: true },
    async teams() {
      return fake
        .groups()
        .filter((group) => !group.deleted)
        .map((group) => ({ id: String(group.id), name: group.name }));
    },
    async contactWrites(contact, text) {
      let conversation: FakeConversation | undefined;
      const requests = await recorder.during(async () => {
        const user = state.users.find((candidate) => candidate.externalId === contact.identifier);
        // The user's latest conversation, whoever holds it (a released one goes to the bot again).
        conversation =
          user === undefined
            ? undefined
            : state.conversations.filter((candidate) => candidate.participants.includes(user.id)).at(-1);
        conversation ??= startChannelConversation(
          context,
          contact.identifier,
          contact.name ?? contact.identifier,
        );
        userWrites(context, conversation, text);
      });
      const found = conversation as unknown as FakeConversation;
      return { conversationId: found.id, contactId: found.participants[0] ?? '', requests };
    },
    async getConversation(conversationId) {
      const conversation = fake.conversation(conversationId);
      if (conversation === undefined) return undefined;
      return { ...harnessConversation(fake, conversation), holder: holderOf(fake, conversation) };
    },
    agentReply: (conversationId, text) =>
      recorder.during(async () => {
        workspace.reply(live(conversationId), text);
      }),
    agentNote: (conversationId, text) =>
      recorder.during(async () => {
        workspace.note(live(conversationId), text);
      }),
    // An agent takes the conversation: control passes to the Agent Workspace, whose ticket the agent is assigned.
    agentTakes: (conversationId) =>
      recorder.during(async () => {
        const conversation = live(conversationId);
        const target = aw();
        if (target === undefined) throw new Error('the fake has no Agent Workspace');
        if (conversation.activeSwitchboardIntegrationId !== target.id)
          passControl(context, conversation, target, undefined);
        workspace.assign(conversation);
      }),
    // The agent hands the conversation back: the Agent Workspace passes control to the bot.
    handBackToBot: (conversationId) =>
      recorder.during(async () => {
        const target = ours();
        if (target === undefined) throw new Error('the fake has no bot integration');
        passControl(context, live(conversationId), target, undefined);
      }),
    resolve: (conversationId) =>
      recorder.during(async () => {
        workspace.solve(live(conversationId));
      }),
    takeBotWebhooks: () => recorder.take(),
    injectFault: (fault, faultOptions = {}) => fake.injectFault(fault, faultOptions),
    async close() {
      recorder.stop();
      await fake.close();
    },
  };
}

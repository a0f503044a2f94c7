import type { BotHostHarness, HarnessFault } from '@handoff/core';
import { createHarnessClient, createWebhookRecorder } from '@handoff/fake-server';
import { createChatwootHarness } from './chatwoot-harness.js';
import type { FakeChatwoot, FakeChatwootSettings } from './fake-chatwoot-server.js';
import { harnessHeader } from './fake-chatwoot-server.js';

/** The internal-mode harness over a fresh fake Chatwoot whose inbox has the agent bot attached. */
export interface ChatwootBotHostHarness extends BotHostHarness {
  readonly fake: FakeChatwoot;
}

const holderOf = { pending: 'bot', open: 'human', snoozed: 'human', resolved: 'closed' } as const;

/**
 * A fresh fake Chatwoot in agent-bot mode and the kit's view of it: the contact writes through the
 * Application API as a channel integration of the API inbox would (incoming messages), agents act
 * with their own tokens, and the bot's webhooks are collected as the fake sends them.
 */
export async function createChatwootBotHostHarness(
  settings: FakeChatwootSettings = {},
): Promise<ChatwootBotHostHarness> {
  const base = await createChatwootHarness({ agentBot: {}, ...settings });
  const { fake } = base;
  const webhooks = createWebhookRecorder({
    subscribe: (listener) => fake.subscribeBot(listener),
    idle: () => fake.idle(),
  });

  const api = createHarnessClient({
    baseUrl: `${fake.baseUrl}/api/v1/accounts/${fake.accountId}`,
    harnessHeader,
    fakeName: 'the fake Chatwoot',
  });
  const callApi = (token: string, path: string, body: Record<string, unknown>) =>
    api.post(path, body, { api_access_token: token });

  const act = webhooks.during;

  const toggle = (conversationId: string, status: string) =>
    act(async () => {
      await callApi(fake.tokens.agent, `/conversations/${conversationId}/toggle_status`, { status });
    });

  return {
    fake,
    features: {
      signedWebhooks: fake.behaviours.agentBotWebhooksSigned,
      reportsHandBack: fake.behaviours.botStatusEvents,
    },
    teams: () => base.teams(),
    async contactWrites(contact, text) {
      let contactId = fake.contacts().find((candidate) => candidate.identifier === contact.identifier)?.id;
      let conversationId: number | undefined;
      const requests = await act(async () => {
        if (contactId === undefined) {
          const created = (await callApi(fake.tokens.admin, '/contacts', {
            inbox_id: fake.inboxId,
            identifier: contact.identifier,
            ...(contact.name === undefined ? {} : { name: contact.name }),
            ...(contact.email === undefined ? {} : { email: contact.email }),
            ...(contact.phone === undefined ? {} : { phone_number: contact.phone }),
          })) as { payload: { contact: { id: number } } };
          contactId = created.payload.contact.id;
        }
        // The contact's latest conversation, whatever its status: a resolved one reopens.
        let displayId = 1;
        for (; fake.conversation(displayId) !== undefined; displayId += 1) {
          if (fake.conversation(displayId)?.contactId === contactId) conversationId = displayId;
        }
        if (conversationId === undefined) {
          const created = (await callApi(fake.tokens.admin, '/conversations', {
            inbox_id: fake.inboxId,
            contact_id: contactId,
          })) as { id: number };
          conversationId = created.id;
        }
        await callApi(fake.tokens.admin, `/conversations/${conversationId}/messages`, {
          content: text,
          message_type: 'incoming',
        });
      });
      return { conversationId: String(conversationId), contactId: String(contactId), requests };
    },
    async getConversation(conversationId) {
      const conversation = await base.getConversation(conversationId);
      const record = fake.conversation(Number(conversationId));
      if (conversation === undefined || record === undefined) return undefined;
      return { ...conversation, holder: holderOf[record.status] };
    },
    agentReply: (conversationId, text) =>
      act(async () => {
        await callApi(fake.tokens.agent, `/conversations/${conversationId}/messages`, {
          content: text,
          message_type: 'outgoing',
        });
      }),
    agentNote: (conversationId, text) =>
      act(async () => {
        await callApi(fake.tokens.agent, `/conversations/${conversationId}/messages`, {
          content: text,
          message_type: 'outgoing',
          private: true,
        });
      }),
    agentTakes: (conversationId) => toggle(conversationId, 'open'),
    handBackToBot: (conversationId) => toggle(conversationId, 'pending'),
    resolve: (conversationId) => toggle(conversationId, 'resolved'),
    async takeBotWebhooks() {
      return webhooks.take();
    },
    injectFault(fault: HarnessFault, options = {}) {
      fake.injectFault(fault, options.times ?? 1);
    },
    async close() {
      webhooks.stop();
      await base.close?.();
    },
  };
}

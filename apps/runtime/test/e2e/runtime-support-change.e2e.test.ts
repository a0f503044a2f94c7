// A chatbot's support moved to another system (or turned off) while users talk to agents: the
// conversations of the old one are closed there, the users are told, and nothing accepted for one
// system reaches the other; what cannot reach the old one is parked with the reason.
import { chatwootSettingsFor, startFakeChatwoot } from '@handoff/chatwoot/testing';
import type { MemorySupportSystem } from '@handoff/memory';
import { describe, expect, it } from 'vitest';
import type { RuntimeConfigInput } from '../../src/config/runtime-config.js';
import { admin, adminToken } from '../support/admin-token.js';
import { cleanupsAfterEach } from '../support/cleanups.js';
import { eventually, startRuntime, testToken } from '../support/runtime-test-kit.js';

const shopToken = 'shop-web-token-0123456789abcdef';
const shop = { authorization: `Bearer ${shopToken}` };
const base = '/v1/bots/shop/channels/web/users/alice';

const cleanups = cleanupsAfterEach();

const inProcess = { type: 'in-process' };
const routingTo = (team: string) => ({ defaultTeam: { team, label: 'Support' }, teams: [] });

async function setup(
  options: {
    chatbots?: RuntimeConfigInput['chatbots'];
    delivery?: { initialDelayMs: number; maxDelayMs: number };
  } = {},
) {
  const fake = await startFakeChatwoot();
  cleanups.push(() => fake.close());
  fake.setAvailability(8, 'online');
  const started = await startRuntime(
    {
      auth: {
        tokens: [{ name: 'test', token: testToken }],
        adminTokens: [{ name: 'ops', token: adminToken }],
        rateLimitPerMinute: 1_000_000,
      },
      ...(options.chatbots === undefined ? {} : { chatbots: options.chatbots }),
    },
    options.delivery === undefined ? {} : { delivery: { backoff: options.delivery } },
  );
  cleanups.push(started.close);
  const { call, runtime } = started;
  const chatwoot = { type: 'chatwoot', chatwoot: { ...chatwootSettingsFor(fake), requestTimeoutMs: 2_000 } };
  /** The chatbot's settings, as a full update sends them. */
  const settingsWith = (support: unknown, team: string, supportEnabled = true) => ({
    name: 'Shop',
    channels: { web: { token: shopToken } },
    support,
    supportEnabled,
    routing: routingTo(team),
  });
  const create = async (support: unknown, team: string) => {
    const created = await call(
      'POST',
      '/v1/admin/bots',
      { id: 'shop', ...settingsWith(support, team) },
      admin,
    );
    expect(created.status, created.text).toBe(201);
  };
  fake.setInbox({ webhookUrl: `${started.url}/v1/bots/shop/support/webhook` });
  const say = (text: string) => call('POST', `${base}/messages`, { text }, shop);
  const session = async () =>
    (await call('GET', `${base}/session`, undefined, shop)).json as { mode: string; conversationId?: string };
  const heldConversation = () =>
    eventually(async () => {
      const current = await session();
      if (current.conversationId === undefined)
        throw new Error(`not handed off yet: ${JSON.stringify(current)}`);
      return current.conversationId;
    }, 10_000);
  const mailboxTexts = async () =>
    (await runtime.stores.mailbox.after('bots/shop/web/alice', 0)).map((entry) => entry.message.text);
  const memorySystem = async () =>
    (await runtime.servedChatbots.get('shop')).support.memory as MemorySupportSystem;
  return {
    fake,
    ...started,
    chatwoot,
    settingsWith,
    create,
    say,
    session,
    heldConversation,
    mailboxTexts,
    memorySystem,
  };
}

describe('changing a chatbot’s support while users talk to agents', () => {
  it('closes the conversations of the old system, and sends nothing of them to the new one, while messages flow', async () => {
    const { fake, runtime, call, ...bot } = await setup();
    await bot.create(inProcess, '2');
    expect((await bot.say('human please')).status).toBe(200);
    const oldConversation = await bot.heldConversation();
    const oldSystem = await bot.memorySystem();

    // Alice keeps writing while the chatbot moves to Chatwoot.
    const texts = Array.from({ length: 12 }, (_, index) => `line ${index} of my story`);
    const sending = (async () => {
      const answers = [];
      for (const text of texts) answers.push({ text, answer: await bot.say(text) });
      return answers;
    })();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const moved = await call('PUT', '/v1/admin/bots/shop', bot.settingsWith(bot.chatwoot, '3'), admin);
    expect(moved.status, moved.text).toBe(200);
    const answers = await sending;

    // Back with the bot, told so; the agent of the old system finds why in the conversation.
    expect((await bot.session()).mode).toBe('bot');
    await eventually(async () =>
      expect(await bot.mailboxTexts()).toContain('You are talking to the bot again.'),
    );
    const closed = oldSystem.getConversation(oldConversation);
    expect(closed?.status).not.toBe('open');
    expect(JSON.stringify(closed?.messages)).toContain('now uses another support system or inbox');

    // Each message went once to the old conversation (while it was held there), or to the bot.
    const inOld = (closed?.messages ?? [])
      .filter((message) => message.author === 'user' && texts.includes(message.text))
      .map((m) => m.text);
    for (const { text, answer } of answers) {
      expect(answer.status, answer.text).toBe(200);
      const expected = answer.json.mode === 'human' ? 1 : 0;
      expect([text, inOld.filter((seen) => seen === text).length]).toEqual([text, expected]);
    }
    expect(answers.some(({ answer }) => answer.json.mode === 'human')).toBe(true);
    // Nothing of the old conversation reached Chatwoot.
    const inChatwoot = () =>
      fake.conversations().flatMap((conversation) => conversation.messages.map((m) => m.content));
    for (const text of inOld) expect(inChatwoot()).not.toContain(text);

    // The next handoff goes to Chatwoot, to the team of the new routing.
    expect((await bot.say('human please')).status).toBe(200);
    const next = Number(await bot.heldConversation());
    await eventually(() => expect(fake.conversation(next)?.teamId).toBe(3));
    // Alice is a new contact there: no id remembered from the in-process system was sent.
    expect(fake.contacts().filter((contact) => contact.identifier === 'alice')).toHaveLength(1);
    expect(await runtime.stores.chatbotStorage('shop').outbox.listParked()).toEqual([]);
    for (const text of inOld) expect(inChatwoot()).not.toContain(text);
    expect(oldSystem.listConversations().filter((conversation) => conversation.status === 'open')).toEqual(
      [],
    );
  });

  it('parks what the old system could not take in time, with the reason, instead of sending it to the new one', async () => {
    const { fake, call, runtime, ...bot } = await setup({
      chatbots: { supportChangeDrainMs: 300 },
      delivery: { initialDelayMs: 200, maxDelayMs: 200 },
    });
    await bot.create(bot.chatwoot, '3');
    expect((await bot.say('human please')).status).toBe(200);
    await bot.heldConversation();
    // Chatwoot goes down; alice's next message waits for it.
    fake.setRandomFaults({ probability: 1, kinds: ['server_error'], seed: 7 });
    expect((await bot.say('my card is blocked')).json.mode).toBe('human');

    const moved = await call('PUT', '/v1/admin/bots/shop', bot.settingsWith(inProcess, '2'), admin);
    expect(moved.status, moved.text).toBe(200);
    expect((await bot.session()).mode).toBe('bot');
    const parked = await runtime.stores.chatbotStorage('shop').outbox.listParked();
    const post = parked.find((item) => JSON.stringify(item.payload).includes('my card is blocked'));
    expect(post?.reason, JSON.stringify(parked.map((item) => [item.kind, item.reason]))).toBe(
      "the chatbot's support integration changed before this was delivered to chatwoot",
    );
    // The in-process system it moved to never got it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const system = await bot.memorySystem();
    expect(JSON.stringify(system.exportState())).not.toContain('my card is blocked');
  });

  it('closes the conversations of a chatbot whose engine was dropped when idle, when its support is turned off', async () => {
    const { call, runtime, ...bot } = await setup({
      chatbots: { idleAfterMs: 300 },
    });
    await bot.create(inProcess, '2');
    expect((await bot.say('human please')).status).toBe(200);
    const conversation = await bot.heldConversation();
    const system = await bot.memorySystem();
    await eventually(() => expect(runtime.servedChatbots.runningCount).toBe(0), 5_000);

    const off = await call('PUT', '/v1/admin/bots/shop', bot.settingsWith(inProcess, '2', false), admin);
    expect(off.status, off.text).toBe(200);
    expect((await bot.session()).mode).toBe('bot');
    await eventually(() => {
      const closed = system.getConversation(conversation);
      expect(closed?.status).not.toBe('open');
      expect(JSON.stringify(closed?.messages)).toContain('Support was turned off for this chatbot');
    });
  });
});

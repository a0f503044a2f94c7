import {
  createRocketChatBotHostHarness,
  createRocketChatHarness,
  type RocketChatBotHostHarness,
  type RocketChatHarness,
  rocketChatBotAgentSettingsFor,
  rocketChatSettingsFor,
} from '@handoff/rocketchat/testing';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../support/cleanups.js';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';
import {
  handedOffConversationId,
  internalModeDriver,
  refundRoutingOver,
} from '../support/support-system-loops.js';

const cleanups = cleanupsAfterEach();

const routingOver = (teams: ReadonlyArray<{ id: string; name: string }>) =>
  refundRoutingOver(teams, { fallback: 'Sales', refunds: 'Billing' });

describe('runtime with Rocket.Chat Omnichannel, external mode: the whole loop over HTTP', () => {
  it('forwards the Livechat room to the routed department, relays the agent, and gives the user back to the bot when the agent closes the room', async () => {
    const harness: RocketChatHarness = await createRocketChatHarness();
    cleanups.push(async () => harness.close?.());
    const teams = await harness.teams();
    const started = await startRuntime({
      support: {
        type: 'rocketchat',
        name: 'rocketchat',
        rocketchat: { ...rocketChatSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
      },
      routing: routingOver(teams),
    });
    cleanups.push(started.close);
    // Omnichannel → Webhooks → Webhook URL points at the runtime.
    harness.fake.setWebhookUrl(`${started.url}/v1/support/rocketchat/webhook`);

    const alice = started.user('web', 'alice');
    await alice.say('I want a refund');
    const handoff = await alice.say('agent please');
    expect(handoff.json.replies?.at(-1)?.text).toBe(
      'Connecting you with Billing. A person will answer here shortly.',
    );
    const conversationId = await handedOffConversationId(alice);
    const billing = teams.find((team) => team.name === 'Billing');
    const conversation = await eventually(async () => {
      const found = await harness.getConversation(conversationId);
      if (found === undefined || found.team?.id !== billing?.id)
        throw new Error('not forwarded to Billing yet');
      return found;
    });
    expect(conversation.agentsNotified).toBe(true);
    const texts = conversation.messages.map((message) => message.text);
    expect(texts.slice(0, 4)).toEqual([
      'I want a refund',
      'I can help with a refund. What is the order number?',
      'agent please',
      'Let me get a person for you.',
    ]);
    expect(texts.join('\n')).toContain('Matched skill: demo.shop.Refund');
    // The visitor carries our user id in its custom field, for agents to see.
    expect(
      harness.fake.state.visitors.filter((visitor) => visitor.livechatData.handoff_user_id === 'alice'),
    ).not.toEqual([]);
    // Nothing the adapter sent carried the access token anywhere but its header.
    for (const request of harness.fake.requests)
      expect(JSON.stringify({ ...request, headers: {} })).not.toContain(harness.fake.authToken);

    const events = await alice.events();
    cleanups.push(events.close);
    await harness.agentReply(conversationId, { text: 'Hi, Ben from Billing here.' });
    await events.next((event) => event.data.text === 'Hi, Ben from Billing here.');

    // The agent closes the room: the bot has the user again.
    await harness.resolve(conversationId);
    await events.next((event) => event.data.notice === 'agentClosed');
    expect((await alice.say('thanks')).json.mode).toBe('bot');
  });

  it('refuses webhooks without the Livechat secret token', async () => {
    const harness = await createRocketChatHarness();
    cleanups.push(async () => harness.close?.());
    const started = await startRuntime({
      support: {
        type: 'rocketchat',
        name: 'rocketchat',
        rocketchat: { ...rocketChatSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
      },
      routing: routingOver(await harness.teams()),
    });
    cleanups.push(started.close);
    const body = JSON.stringify({ type: 'Message', _id: 'r1', visitor: { token: 't' }, messages: [] });
    const unsigned = await fetch(`${started.url}/v1/support/rocketchat/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    const wrong = await fetch(`${started.url}/v1/support/rocketchat/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-rocketchat-livechat-token': 'not-the-token' },
      body,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain(harness.fake.webhookSecret);
  });
});

describe('runtime as a Rocket.Chat bot agent (internal mode)', () => {
  it('answers the rooms it serves, forwards with the note, stays silent while a human serves, and answers again when the room comes back', async () => {
    const harness: RocketChatBotHostHarness = await createRocketChatBotHostHarness();
    cleanups.push(async () => harness.close?.());
    const teams = await harness.teams();
    const started = await startRuntime({
      agentBot: {
        type: 'rocketchat',
        name: 'rocketchat',
        rocketchat: { ...rocketChatBotAgentSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
      },
      routing: routingOver(teams),
    });
    cleanups.push(started.close);
    harness.fake.setWebhookUrl(`${started.url}/v1/agent-bot/rocketchat/webhook`);
    const engine = started.runtime.agentBotEngine;
    if (engine === undefined) throw new Error('the runtime has no internal-mode engine');
    const { settled, says, transcript } = internalModeDriver(harness, engine);

    const conversationId = await says('hello');
    expect(await transcript(conversationId)).toEqual([
      'user: hello',
      expect.stringMatching(/^bot: Hello! I can check an order status/),
    ]);
    expect((await harness.getConversation(conversationId))?.holder).toBe('bot');

    await says('I want a refund');
    await says('order A-1234');
    await says('let me talk to a human');
    const handedOff = await harness.getConversation(conversationId);
    expect(handedOff?.holder).toBe('human');
    expect(handedOff?.team?.id).toBe(teams.find((team) => team.name === 'Billing')?.id);
    const noted = (await transcript(conversationId)).join('\n');
    expect(noted).toContain('Matched skill: demo.shop.Refund');
    expect(noted).toContain('orderNumber: A-1234');

    // A human serves the room: the visitor writes, the bot says nothing.
    await harness.agentTakes(conversationId);
    await harness.agentReply(conversationId, 'Hi Jane, Ben from Billing here.');
    await settled();
    const before = (await transcript(conversationId)).length;
    await says('thanks Ben');
    const during = await transcript(conversationId);
    expect(during).toHaveLength(before + 1);
    expect(during.at(-1)).toBe('user: thanks Ben');

    // The agent forwards the room back to the bot: the bot answers the next message.
    await harness.handBackToBot(conversationId);
    await settled();
    await says('where is my parcel');
    await eventually(async () => {
      const lines = await transcript(conversationId);
      if (!lines.some((line) => line === 'bot: Sure. What is your order number?'))
        throw new Error(`the bot has not answered yet: ${lines.slice(-3).join(' | ')}`);
    });
  });
});

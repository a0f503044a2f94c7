import { chatwootSettingsFor, type FakeChatwoot, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime } from './test-support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake Chatwoot whose API inbox sends its webhooks to a runtime configured for it. */
async function setup() {
  const fake = await startFakeChatwoot();
  cleanups.push(() => fake.close());
  const started = await startRuntime({
    support: {
      type: 'chatwoot',
      name: 'chatwoot',
      chatwoot: {
        ...chatwootSettingsFor(fake),
        requestTimeoutMs: 2_000,
      },
    },
  });
  cleanups.push(started.close);
  fake.setInbox({ webhookUrl: `${started.url}/v1/support/chatwoot/webhook` });
  // Omar, the only member of Orders, is at work unless a test says otherwise.
  fake.setAvailability(8, 'online');
  return { ...started, fake };
}

/** What an agent does in Chatwoot's UI, through the fake's API with Anna's token. */
async function asAgent(fake: FakeChatwoot, path: string, body: unknown) {
  const response = await request(`${fake.baseUrl}/api/v1/accounts/${fake.accountId}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      api_access_token: fake.tokens.agent,
      'x-fake-chatwoot-harness': '1',
    },
    body: JSON.stringify(body),
  });
  await response.body.dump();
  expect(response.statusCode).toBe(200);
}

const openConversation = (fake: FakeChatwoot, displayId: number) => {
  const conversation = fake.conversation(displayId);
  if (conversation === undefined || conversation.status !== 'open')
    throw new Error(`conversation ${displayId} not open yet`);
  return conversation;
};

describe('runtime with Chatwoot: the whole loop over HTTP', () => {
  it('hands off, relays the agent, returns to the bot on resolve, and opens a new conversation next time', async () => {
    const { user, fake } = await setup();
    const alice = user('web', 'alice');
    expect((await alice.say('where is my parcel')).json.mode).toBe('bot');
    const handoff = await alice.say('human please');
    expect(handoff.json.replies?.at(-1)?.text).toBe(
      'Connecting you with Orders. A person will answer here shortly.',
    );

    const conversationId = await eventually(async () => {
      const session = await alice.session();
      const id = session.json.conversationId;
      if (typeof id !== 'string') throw new Error('no conversation yet');
      return Number(id);
    });
    const conversation = await eventually(() => openConversation(fake, conversationId));
    expect(conversation.teamId).toBe(3);
    expect(conversation.customAttributes).toMatchObject({ handoff_session_id: expect.any(String) });
    const contact = fake.contacts().find((candidate) => candidate.identifier === 'alice');
    expect(contact).toBeDefined();
    const mirrored = conversation.messages.filter((message) => message.messageType !== 'activity');
    expect(mirrored.map((message) => [message.messageType, message.private, message.content])).toEqual([
      ['incoming', false, 'where is my parcel'],
      ['outgoing', false, 'Sure. What is your order number?'],
      ['incoming', false, 'human please'],
      ['outgoing', false, 'Let me get a person for you.'],
      ['outgoing', true, expect.stringContaining('Matched skill: demo.shop.OrderStatus')],
    ]);
    expect(fake.notifications().some((notification) => notification.kind === 'bot_handoff')).toBe(true);

    const events = await alice.events();
    cleanups.push(events.close);
    await asAgent(fake, `/conversations/${conversationId}/messages`, {
      content: 'Hi, Omar here. Let me check.',
      message_type: 'outgoing',
    });
    await events.next((event) => event.data.text === 'Hi, Omar here. Let me check.');

    // The user's next message goes to the agent in Chatwoot, not to the bot.
    expect((await alice.say('Order 5521')).json).toMatchObject({ mode: 'human', replies: [] });
    await eventually(() =>
      expect(fake.conversation(conversationId)?.messages.at(-1)).toMatchObject({
        content: 'Order 5521',
        messageType: 'incoming',
      }),
    );

    await asAgent(fake, `/conversations/${conversationId}/toggle_status`, { status: 'resolved' });
    await events.next((event) => event.data.notice === 'agentClosed');
    expect((await alice.say('thanks')).json.mode).toBe('bot');

    await alice.say('refund');
    await alice.say('agent');
    const nextId = await eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string' || Number(id) === conversationId) throw new Error('no new conversation yet');
      return Number(id);
    });
    await eventually(() => expect(openConversation(fake, nextId).teamId).toBe(2));
    expect(fake.contacts().filter((candidate) => candidate.identifier === 'alice')).toHaveLength(1);
  });

  it('keeps the bot silent and posts nothing while a user only talks to the bot', async () => {
    const { user, fake } = await setup();
    await user('web', 'bob').say('hello');
    await user('web', 'bob').say('what can you do');
    expect(fake.requests).toEqual([]);
  });

  it('refuses a webhook with a bad signature and counts it', async () => {
    const { url, call } = await setup();
    const response = await request(`${url}/v1/support/chatwoot/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-chatwoot-delivery': 'd-1',
        'x-chatwoot-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-chatwoot-signature': 'sha256=0000',
      },
      body: JSON.stringify({ event: 'message_created' }),
    });
    expect(response.statusCode).toBe(401);
    expect(await response.body.json()).toMatchObject({ error: 'invalid_signature' });
    const metrics = await call('GET', '/metrics');
    expect(metrics.text).toContain(
      'handoff_webhook_rejections_total{instance="chatwoot",reason="invalid_signature"} 1',
    );
  });
});

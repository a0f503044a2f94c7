import { chatwootSettingsFor, type FakeChatwoot, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { signTimestampedBody } from '@handoff/http';
import { FormData, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';

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

  it("relays an agent's message whose file has no URL, and counts and logs the part it could not read", async () => {
    const { user, fake, url, call } = await setup();
    const alice = user('web', 'alice');
    await alice.say('where is my parcel');
    await alice.say('human please');
    const conversationId = await eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string') throw new Error('no conversation yet');
      return Number(id);
    });
    await eventually(() => openConversation(fake, conversationId));
    const events = await alice.events();
    cleanups.push(events.close);
    // A message as Chatwoot renders one whose attachment has no file (`Attachment#push_event_data`).
    const body = JSON.stringify({
      event: 'message_created',
      id: 9_001,
      content: 'Here is your label',
      message_type: 'outgoing',
      private: false,
      created_at: new Date().toISOString(),
      sender: { id: 8, name: 'Omar', type: 'user' },
      inbox: { id: fake.inboxId },
      attachments: [{ id: 1, file_type: 'file', data_url: null, thumb_url: '' }],
      conversation: { id: conversationId, inbox_id: fake.inboxId, status: 'open' },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const answer = await request(`${url}/v1/support/chatwoot/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-chatwoot-delivery': 'unreadable-1',
        'x-chatwoot-timestamp': String(timestamp),
        'x-chatwoot-signature': signTimestampedBody({ secret: fake.inboxSecret, timestamp, body }),
      },
      body,
    });
    await answer.body.dump();
    expect(answer.statusCode).toBe(200);
    const relayed = await events.next((event) => event.data.text === 'Here is your label');
    expect(relayed.data).not.toHaveProperty('attachments');
    const metrics = await call('GET', '/metrics');
    expect(metrics.text).toContain(
      'handoff_webhook_unreadable_total{provider="chatwoot",field="attachments[].data_url"} 1',
    );
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

describe('runtime with Chatwoot: the handoff experience', () => {
  /** Hands alice to Billing (Anna) and returns the Chatwoot conversation number once it is open. */
  async function handedToBilling(
    fake: FakeChatwoot,
    alice: ReturnType<Awaited<ReturnType<typeof setup>>['user']>,
  ) {
    await alice.say('refund order 5521', { profile: { name: 'Alice', email: 'alice@example.com' } });
    await alice.say('agent');
    const conversationId = await eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string') throw new Error('no conversation yet');
      return Number(id);
    });
    await eventually(() => openConversation(fake, conversationId));
    return conversationId;
  }

  it('labels the conversation and leaves the context note, and the bot continues from the agent note', async () => {
    const { user, fake } = await setup();
    const alice = user('web', 'alice');
    const conversationId = await handedToBilling(fake, alice);
    const conversation = openConversation(fake, conversationId);
    expect(conversation.labels).toEqual(['bot-handoff']);
    expect(conversation.additionalAttributes).toMatchObject({
      handoff_team: 'Billing',
      handoff_skill: 'demo.shop.Refund',
    });
    const note = conversation.messages.find((message) => message.private)?.content ?? '';
    expect(note).toContain('Unfinished skills: demo.shop.Refund (orderNumber: 5521)');
    expect(note).toContain('User: Alice, alice@example.com (id alice)');

    const events = await alice.events();
    cleanups.push(events.close);
    await asAgent(fake, `/conversations/${conversationId}/toggle_typing_status`, { typing_status: 'on' });
    expect((await events.next((event) => event.event === 'typing')).data).toMatchObject({
      typing: true,
      agent: { name: 'Anna' },
    });
    await asAgent(fake, `/conversations/${conversationId}/messages`, {
      content: 'Internal: refund approved in Stripe.',
      message_type: 'outgoing',
      private: true,
    });
    await asAgent(fake, `/conversations/${conversationId}/toggle_status`, { status: 'resolved' });
    await events.next((event) => event.data.notice === 'agentClosed');
    expect(events.texts()).not.toContain('Internal: refund approved in Stripe.');
    expect((await alice.say('thanks')).json.replies?.[0]?.text).toContain(
      `Your agent's summary: "Internal: refund approved in Stripe."`,
    );
  });

  it('offers the no-agent choices when nobody of the team is online, and hands over when the user waits', async () => {
    const { user, fake } = await setup();
    fake.setAvailability(8, 'offline');
    const alice = user('web', 'alice');
    await alice.say('where is my parcel');
    const offer = await alice.say('agent');
    expect(offer.json).toMatchObject({ mode: 'no-agent' });
    expect(offer.json.replies?.at(-1)?.text).toBe(
      'Nobody from Orders is available right now. Reply 1 to wait, 2 to leave a message, or 3 to go back to the bot.',
    );
    // The contact is found (here: created) while availability is asked, all at once; nothing is opened.
    expect(
      fake.requests
        .map((entry) => `${entry.method} ${entry.path.replace(/^\/api\/v1\/accounts\/\d+/, '')}`)
        .sort(),
    ).toEqual([`GET /inboxes/${fake.inboxId}`, 'GET /teams/3/team_members', 'POST /contacts']);
    expect((await alice.say('1')).json.mode).toBe('human');
    const conversationId = await eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string') throw new Error('no conversation yet');
      return Number(id);
    });
    await eventually(() => expect(openConversation(fake, conversationId).teamId).toBe(3));
  });

  it("says Billing is outside business hours when the Chatwoot inbox's working hours are closed", async () => {
    const { user, fake } = await setup();
    fake.setInbox({
      workingHoursEnabled: true,
      workingHours: [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
        dayOfWeek,
        closedAllDay: true,
        openAllDay: false,
        openHour: null,
        openMinutes: null,
        closeHour: null,
        closeMinutes: null,
      })),
    });
    const alice = user('web', 'alice');
    await alice.say('refund');
    const offer = await alice.say('agent');
    expect(offer.json.replies?.at(-1)).toMatchObject({ notice: 'outsideBusinessHours' });
    const back = await alice.say('3');
    expect(back.json.mode).toBe('bot');
    expect(fake.requests.some((entry) => entry.path.endsWith('/conversations'))).toBe(false);
  });

  it("relays the agent's file to the user and the user's going back closes the conversation with a note", async () => {
    const { user, fake } = await setup();
    const alice = user('web', 'alice');
    const conversationId = await handedToBilling(fake, alice);
    const events = await alice.events();
    cleanups.push(events.close);
    const form = new FormData();
    form.append('content', 'Your return label');
    form.append('message_type', 'outgoing');
    form.append(
      'attachments[]',
      new Blob(['%PDF-1.7 label'], { type: 'application/pdf' }),
      'return-label.pdf',
    );
    const uploaded = await request(
      `${fake.baseUrl}/api/v1/accounts/${fake.accountId}/conversations/${conversationId}/messages`,
      {
        method: 'POST',
        headers: { api_access_token: fake.tokens.agent, 'x-fake-chatwoot-harness': '1' },
        body: form,
      },
    );
    await uploaded.body.dump();
    const received = await events.next((event) => event.data.text === 'Your return label');
    expect(received.data.attachments).toEqual([
      expect.objectContaining({ contentType: 'application/pdf', name: 'return-label.pdf', size: 14 }),
    ]);

    expect((await alice.say('back to bot')).json.mode).toBe('bot');
    await eventually(() => expect(fake.conversation(conversationId)?.status).toBe('resolved'));
    const last = fake
      .conversation(conversationId)
      ?.messages.filter((message) => message.messageType !== 'activity')
      .at(-1);
    expect(last).toMatchObject({ private: true, content: 'The user went back to the bot.' });
  });
});

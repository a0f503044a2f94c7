import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startCallbackReceiver, startRuntime, testToken } from '../support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(overrides: Parameters<typeof startRuntime>[0] = {}) {
  const started = await startRuntime(overrides);
  cleanups.push(started.close);
  const system = started.runtime.support.memory;
  if (system === undefined) throw new Error('expected the in-process support system');
  return { ...started, system };
}

const replyTexts = (response: { json: { replies?: Array<{ text: string }> } }) =>
  (response.json.replies ?? []).map((reply) => reply.text);

describe('runtime with the in-process support system: the whole loop over HTTP', () => {
  it('lets the bot answer while it holds the session, with no support call', async () => {
    const { user, system } = await setup();
    const alice = user('web', 'alice');
    const response = await alice.say('hello');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ mode: 'bot', duplicate: false });
    expect(replyTexts(response)[0]).toContain('I can check an order status');
    expect(system.listConversations()).toEqual([]);
  });

  it('hands off to the team of the unfinished skill, with transcript and routing note', async () => {
    const { user, system } = await setup();
    const alice = user('web', 'alice');
    expect(replyTexts(await alice.say('I want a refund'))).toEqual([
      'I can help with a refund. What is the order number?',
    ]);
    const handoff = await alice.say('agent please');
    expect(handoff.json.mode).toBe('human');
    expect(replyTexts(handoff)).toEqual([
      'Let me get a person for you.',
      'Connecting you with Billing. A person will answer here shortly.',
    ]);
    const conversation = await eventually(() => {
      const [found] = system.listConversations({ teamId: '2', status: 'open' });
      if (found === undefined) throw new Error('not transferred yet');
      return found;
    });
    expect(conversation.messages.map((message) => [message.author, message.text])).toEqual([
      ['user', 'I want a refund'],
      ['bot', 'I can help with a refund. What is the order number?'],
      ['user', 'agent please'],
      ['bot', 'Let me get a person for you.'],
      ['note', expect.stringContaining('Matched skill: demo.shop.Refund')],
    ]);
    const session = await alice.session();
    expect(session.json).toMatchObject({
      mode: 'human',
      support: 'memory',
      team: { id: '2', label: 'Billing' },
      conversationId: conversation.id,
    });
  });

  it('asks for a topic when no skill is unfinished, and routes by the answer', async () => {
    const { user, system } = await setup();
    const bob = user('web', 'bob');
    const asked = await bob.say('I need a human');
    expect(asked.json.mode).toBe('choosing-team');
    expect(replyTexts(asked).at(-1)).toBe(
      'Which team can help you? 1. Billing, 2. Orders, 3. Accounts, 4. Support',
    );
    const answered = await bob.say('orders');
    expect(answered.json.mode).toBe('human');
    expect(replyTexts(answered)).toEqual(['Connecting you with Orders. A person will answer here shortly.']);
    await eventually(() => expect(system.listConversations({ teamId: '3', status: 'open' })).toHaveLength(1));
  });

  it('relays the agent by server-sent events and signed callback, then the bot takes over again after resolve', async () => {
    const receiver = await startCallbackReceiver('callback-secret-0123456789');
    cleanups.push(receiver.close);
    const { user, system } = await setup({
      channels: { web: { callbackUrl: receiver.url, callbackSecret: 'callback-secret-0123456789' } },
    });
    const alice = user('web', 'alice');
    await alice.say('refund');
    await alice.say('agent');
    const events = await alice.events();
    cleanups.push(events.close);
    const conversation = await eventually(() => {
      const [found] = system.listConversations({ status: 'open' });
      if (found === undefined) throw new Error('not transferred yet');
      return found;
    });

    system.assign(conversation.id, { agentId: 'agent-anna' });
    system.typing(conversation.id, { typing: true, agentId: 'agent-anna' });
    system.reply(conversation.id, { text: 'Hi, I am Anna from Billing.', agentId: 'agent-anna' });
    await events.next((event) => event.data.text === 'Hi, I am Anna from Billing.');
    expect(events.events.find((event) => event.event === 'typing')?.data).toMatchObject({
      typing: true,
      agent: { name: 'Anna' },
    });
    expect(events.texts()).toEqual(['Anna joined the conversation.', 'Hi, I am Anna from Billing.']);
    const reply = events.events.find((event) => event.data.text === 'Hi, I am Anna from Billing.');
    expect(reply?.data).toMatchObject({ kind: 'agent', agent: { name: 'Anna' } });
    expect(reply?.id).toMatch(/^\d+$/);

    // While the human holds the session, the user's messages go to the agent, not the bot.
    const toAgent = await alice.say('It was order A-1043');
    expect(toAgent.json).toMatchObject({ mode: 'human', replies: [] });
    await eventually(() =>
      expect(system.getConversation(conversation.id)?.messages.at(-1)?.text).toBe('It was order A-1043'),
    );

    system.resolve(conversation.id, { agentId: 'agent-anna' });
    await events.next((event) => event.data.notice === 'agentClosed');
    await eventually(() =>
      expect(receiver.texts()).toEqual([
        'Anna joined the conversation.',
        'Hi, I am Anna from Billing.',
        'The agent closed the conversation. You are talking to the bot again.',
      ]),
    );
    expect(receiver.received.every((entry) => entry.verified)).toBe(true);
    expect(receiver.received[1]?.headers['x-handoff-delivery']).toBe(reply?.data.id);

    const afterwards = await alice.say('thanks');
    expect(afterwards.json.mode).toBe('bot');
    expect(replyTexts(afterwards)[0]).toBe(
      'Welcome back, I am the bot again. The agent\'s last words: "Hi, I am Anna from Billing."',
    );

    // The next handoff (a fresh bot session: no skill open, so the topic question) opens a new conversation.
    await alice.say('agent');
    await alice.say('billing');
    await eventually(() => expect(system.listConversations({ status: 'open' })).toHaveLength(1));
    const [second] = system.listConversations({ status: 'open' });
    expect(second?.id).not.toBe(conversation.id);
  });

  it('replays what a client missed, from a sequence or Last-Event-ID', async () => {
    const { user, system } = await setup();
    const alice = user('web', 'alice');
    await alice.say('agent');
    await alice.say('billing');
    const [conversation] = await eventually(() => {
      const found = system.listConversations({ status: 'open' });
      if (found.length === 0) throw new Error('not transferred yet');
      return found;
    });
    if (conversation === undefined) throw new Error('missing');
    system.reply(conversation.id, { text: 'first' });
    system.reply(conversation.id, { text: 'second' });
    await eventually(async () => {
      const stream = await alice.events(0);
      try {
        await stream.next((event) => event.data.text === 'second', 500);
        expect(stream.texts()).toEqual(['first', 'second']);
      } finally {
        await stream.close();
      }
    });
    const later = await alice.events(1);
    cleanups.push(later.close);
    await later.next((event) => event.data.text === 'second');
    expect(later.texts()).toEqual(['second']);
  });

  it('closes the session on request: the support conversation is closed, the bot answers again', async () => {
    const { user, system } = await setup();
    const alice = user('web', 'alice');
    await alice.say('refund');
    await alice.say('agent');
    const closed = await alice.close('closed from the channel');
    expect(closed.json).toMatchObject({
      mode: 'bot',
      replies: [{ kind: 'notice', text: 'You are talking to the bot again.' }],
    });
    await eventually(() => expect(system.listConversations({ status: 'resolved' })).toHaveLength(1));
    const [conversation] = system.listConversations({ status: 'resolved' });
    expect(conversation?.messages.at(-1)).toMatchObject({ author: 'note', text: 'closed from the channel' });
    expect((await alice.say('hello')).json.mode).toBe('bot');
  });

  it('answers a repeated client message id with the first answer, doing nothing twice', async () => {
    const { user, runtime } = await setup();
    const alice = user('web', 'alice');
    const first = await alice.say('refund', { id: 'client-1' });
    const again = await alice.say('refund', { id: 'client-1' });
    expect(again.json).toEqual(first.json);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const session = await runtime.engine.getSession({ channelId: 'web', userId: 'alice' });
    expect(session?.transcript.filter((message) => message.text === 'refund')).toHaveLength(1);
  });
});

describe('runtime: refusals', () => {
  const invalid: Array<[string, unknown, string]> = [
    ['no text and no attachment', {}, 'text'],
    ['text of the wrong type', { text: 42 }, 'text'],
    ['an unknown field', { text: 'hi', colour: 'red' }, 'colour'],
    [
      'an attachment without a URL',
      { text: 'hi', attachments: [{ contentType: 'image/png' }] },
      'attachments[0].url',
    ],
    [
      'an attachment with a non-http URL',
      { text: 'hi', attachments: [{ url: 'file:///etc/passwd', contentType: 'text/plain' }] },
      'attachments[0].url',
    ],
    ['an invalid email in the profile', { text: 'hi', profile: { email: 'not-an-email' } }, 'profile.email'],
    ['an over-long id', { id: 'x'.repeat(201), text: 'hi' }, 'id'],
  ];
  for (const [what, body, field] of invalid) {
    it(`answers 400 naming ${field} for ${what}`, async () => {
      const { call } = await setup();
      const response = await call('POST', '/v1/channels/web/users/alice/messages', body);
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ error: 'invalid_request' });
      expect(response.json.message).toContain(field);
      expect(JSON.stringify(response.json.issues)).toContain(field);
    });
  }

  it('answers 400 for a body that is not JSON, and for a bad query', async () => {
    const { call } = await setup();
    const malformed = await call('POST', '/v1/channels/web/users/alice/messages', '{"text": ');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toBe('invalid_request');
    const query = await call('GET', '/v1/channels/web/users/alice/events?after=-1');
    expect(query.status).toBe(400);
    expect(query.json.message).toContain('after');
  });

  it('answers 413 for a body over the limit', async () => {
    const { call } = await setup({ server: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1_000 } });
    const response = await call('POST', '/v1/channels/web/users/alice/messages', { text: 'x'.repeat(2_000) });
    expect(response.status).toBe(413);
    expect(response.json.error).toBe('body_too_large');
  });

  it('answers 401 without a token or with a wrong one, 403 for another channel', async () => {
    const { call } = await setup({
      auth: { tokens: [{ name: 'test', token: testToken, channels: ['web'] }] },
    });
    const missing = await call(
      'POST',
      '/v1/channels/web/users/alice/messages',
      { text: 'hi' },
      { authorization: '' },
    );
    expect([missing.status, missing.json.error]).toEqual([401, 'unauthorized']);
    const wrong = await call('GET', '/v1/channels/web/users/alice/session', undefined, {
      authorization: 'Bearer wrong-token-0123456789',
    });
    expect(wrong.status).toBe(401);
    const elsewhere = await call('POST', '/v1/channels/whatsapp/users/alice/messages', { text: 'hi' });
    expect([elsewhere.status, elsewhere.json.error]).toEqual([403, 'forbidden']);
    const admin = await call('GET', '/v1/admin/parked');
    expect(admin.status).toBe(403);
  });

  it('refuses unsigned, tampered or unknown-instance webhooks', async () => {
    const { call } = await setup();
    const unsigned = await call(
      'POST',
      '/v1/support/memory/webhook',
      { event: 'typing' },
      { authorization: '' },
    );
    expect([unsigned.status, unsigned.json.error]).toEqual([401, 'missing_signature']);
    const unknown = await call('POST', '/v1/support/zendesk/webhook', { event: 'typing' });
    expect(unknown.status).toBe(404);
  });
});

describe('runtime: operations', () => {
  it('answers health, readiness, metrics and its OpenAPI document', async () => {
    const { call, user } = await setup();
    await user('web', 'carol').say('agent');
    expect((await call('GET', '/healthz')).json).toEqual({ status: 'ok' });
    expect((await call('GET', '/readyz')).json).toMatchObject({ status: 'ready', storage: 'ok' });
    const metrics = await call('GET', '/metrics');
    expect(metrics.text).toContain('handoff_handoffs_total{team="ask",rule="ask"} 1');
    expect(metrics.text).toContain('handoff_outbox_items{state="parked"} 0');
    const document = await call('GET', '/openapi.json');
    expect(document.json.openapi).toBe('3.1.0');
    expect(Object.keys(document.json.paths as object)).toContain(
      '/v1/channels/{channelId}/users/{userId}/messages',
    );
  });
});

describe('runtime: the in-process support console API', () => {
  it('lists conversations by team and status and shows the transcript with authors', async () => {
    const { call, user } = await setup();
    await user('web', 'dora').say('reset my password');
    await user('web', 'dora').say('agent');
    const listed = await eventually(async () => {
      const response = await call('GET', '/v1/console/conversations?teamId=4&status=open');
      const conversations = response.json.conversations as Array<{ id: string; team: { name: string } }>;
      if (conversations.length !== 1) throw new Error('not transferred yet');
      return conversations;
    });
    expect(listed[0]?.team.name).toBe('Accounts');
    expect((await call('GET', '/v1/console/conversations?teamId=2')).json.conversations).toEqual([]);
    const detail = await call('GET', `/v1/console/conversations/${listed[0]?.id}`);
    const messages = detail.json.messages as Array<{ author: string; private: boolean }>;
    expect(messages.map((message) => message.author)).toEqual(['user', 'bot', 'user', 'bot', 'note']);
    expect(messages.at(-1)?.private).toBe(true);
  });

  it('refuses an unknown conversation, an unknown agent and a bad status', async () => {
    const { call } = await setup();
    expect((await call('POST', '/v1/console/conversations/999/reply', { text: 'hi' })).status).toBe(404);
    expect((await call('GET', '/v1/console/conversations?status=closed')).json.message).toContain('status');
    await call('POST', '/v1/channels/web/users/erin/messages', { text: 'agent' });
    await call('POST', '/v1/channels/web/users/erin/messages', { text: 'billing' });
    const id = await eventually(async () => {
      const conversations = (await call('GET', '/v1/console/conversations')).json.conversations as Array<{
        id: string;
      }>;
      if (conversations[0] === undefined) throw new Error('none yet');
      return conversations[0].id;
    });
    const unknownAgent = await call('POST', `/v1/console/conversations/${id}/assign`, {
      agentId: 'agent-nobody',
    });
    expect([unknownAgent.status, unknownAgent.json.message]).toEqual([400, 'agentId: no agent agent-nobody']);
  });
});

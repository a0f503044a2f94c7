import { SupportError, WebhookVerificationError } from '@handoff/core';
import { signTimestampedBody } from '@handoff/http';
import { MockAgent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatwootAdapter } from '../src/chatwoot-adapter.js';
import { type ChatwootHarness, createChatwootHarness } from '../src/testing/index.js';
import { chatwootAdapterFor, chatwootAdapterOnMockAgent } from './chatwoot-target.js';

const harnesses: ChatwootHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close?.()));
});

async function setup(settings: Parameters<typeof createChatwootHarness>[0] = {}) {
  const harness = await createChatwootHarness(settings);
  harnesses.push(harness);
  return { harness, fake: harness.fake, adapter: chatwootAdapterFor(harness, { requestTimeoutMs: 2_000 }) };
}

/** Calls the fake as an administrator would through Chatwoot's UI, to prepare state. */
async function admin(harness: ChatwootHarness, method: 'POST' | 'PUT', path: string, body: unknown) {
  const response = await request(`${harness.fake.baseUrl}/api/v1/accounts/${harness.fake.accountId}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      api_access_token: harness.fake.tokens.admin,
      'x-fake-chatwoot-harness': '1',
    },
    body: JSON.stringify(body),
  });
  return response.body.json() as Promise<{ payload: { contact: { id: number } } }>;
}

const paths = (harness: ChatwootHarness) =>
  harness.fake.requests.map(
    (entry) => `${entry.method} ${entry.path.replace(/^\/api\/v1\/accounts\/\d+/, '')}`,
  );

describe('Chatwoot adapter: contacts', () => {
  it('finds an existing contact by exact identifier and adds the API inbox it lacks', async () => {
    const { harness, adapter } = await setup();
    const created = await admin(harness, 'POST', '/contacts', { identifier: 'user-9', name: 'Jo' });
    const result = await adapter.ensureUser({ user: { id: 'user-9' } });
    expect(result).toEqual({ supportUserId: String(created.payload.contact.id), created: false });
    // Create first (one call for a new user); the identifier's 422 leads to the look-up.
    expect(paths(harness)).toEqual([
      'POST /contacts',
      'POST /contacts/filter',
      `POST /contacts/${created.payload.contact.id}/contact_inboxes`,
    ]);
  });

  it('adopts a contact that owns the email but has no identifier, instead of creating a duplicate', async () => {
    const { harness, adapter } = await setup();
    const existing = await admin(harness, 'POST', '/contacts', { email: 'jo@example.test', name: 'Jo' });
    const result = await adapter.ensureUser({ user: { id: 'user-10', email: 'jo@example.test' } });
    expect(result.supportUserId).toBe(String(existing.payload.contact.id));
    expect(harness.fake.contacts()).toHaveLength(1);
    expect(harness.fake.contacts()[0]?.identifier).toBe('user-10');
  });

  it('creates the user without an email another user already owns', async () => {
    const { harness, adapter } = await setup();
    await admin(harness, 'POST', '/contacts', { identifier: 'someone-else', email: 'shared@example.test' });
    const result = await adapter.ensureUser({
      user: { id: 'user-11', email: 'shared@example.test', name: 'Sam' },
    });
    expect(result.created).toBe(false);
    const contacts = harness.fake.contacts();
    expect(contacts.map((contact) => [contact.identifier, contact.email])).toEqual([
      ['someone-else', 'shared@example.test'],
      ['user-11', null],
    ]);
  });
});

describe('Chatwoot adapter: conversations and transfer', () => {
  it('creates a new user with one call, and the conversation with its first message in one more', async () => {
    const { harness, adapter } = await setup();
    const { supportUserId } = await adapter.ensureUser({ user: { id: 'user-first', name: 'Jo' } });
    const first = {
      id: 'm-1',
      author: 'user' as const,
      text: 'I want a refund',
      createdAt: new Date().toISOString(),
    };
    const opened = await adapter.openConversation({
      supportUserId,
      sessionId: 'session-1',
      handoffId: 'handoff-first',
      firstMessage: first,
    });
    expect(opened).toMatchObject({ recovered: false, postedFirstMessage: true });
    expect(paths(harness)).toEqual(['POST /contacts', 'POST /conversations']);
    const messages = harness.fake.conversation(Number(opened.conversationId))?.messages ?? [];
    expect(messages.map((message) => [message.messageType, message.content, message.sourceId])).toEqual([
      ['incoming', 'I want a refund', 'handoff:message:m-1'],
    ]);
    // Posting it again (as the transcript would) adds nothing, with or without recover.
    await adapter.postMessages({ conversationId: opened.conversationId, messages: [first] });
    const restarted = chatwootAdapterFor(harness, { requestTimeoutMs: 2_000 });
    await restarted.postMessages({ conversationId: opened.conversationId, messages: [first], recover: true });
    expect(harness.fake.conversation(Number(opened.conversationId))?.messages).toHaveLength(1);
  });

  it('gets a new conversation per handoff even from an inbox locked to single conversations', async () => {
    // Without a source_id each conversation gets its own contact_inbox, so the lock never applies.
    const { adapter } = await setup({ lockToSingleConversation: true });
    const { supportUserId } = await adapter.ensureUser({ user: { id: 'user-12' } });
    const first = await adapter.openConversation({ supportUserId, sessionId: 's1', handoffId: 'h1' });
    await adapter.closeSession({ conversationId: first.conversationId });
    const second = await adapter.openConversation({ supportUserId, sessionId: 's2', handoffId: 'h2' });
    expect(second.conversationId).not.toBe(first.conversationId);
  });

  it('refuses an existing conversation Chatwoot hands back instead of a new one', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://chatwoot.test')
      .intercept({ path: '/api/v1/accounts/1/conversations', method: 'POST' })
      .reply(200, { id: 7, status: 'resolved', custom_attributes: { handoff_id: 'an-old-handoff' } });
    const adapter = chatwootAdapterOnMockAgent(agent);
    const error = await adapter
      .openConversation({ supportUserId: '51', sessionId: 's', handoffId: 'a-new-handoff' })
      .catch((caught: unknown) => caught);
    expect(SupportError.isInstance(error) && [error.code, error.retryable]).toEqual([
      'invalid_request',
      false,
    ]);
    expect((error as Error).message).toContain('lock to single conversation');
    await agent.close();
  });

  it('reports an unknown team instead of Chatwoot silently clearing it, and never asks again once teams are known', async () => {
    const { harness, adapter } = await setup();
    const { supportUserId } = await adapter.ensureUser({ user: { id: 'user-13' } });
    const { conversationId } = await adapter.openConversation({
      supportUserId,
      sessionId: 's',
      handoffId: 'h',
    });
    const silent = await adapter.transfer({ conversationId, team: '999' }).catch((caught: unknown) => caught);
    expect(SupportError.isInstance(silent) && silent.code).toBe('not_found');
    await adapter.listTeams();
    const before = harness.fake.requests.length;
    const known = await adapter.transfer({ conversationId, team: '998' }).catch((caught: unknown) => caught);
    expect(SupportError.isInstance(known) && known.code).toBe('not_found');
    expect(harness.fake.requests.length).toBe(before);
  });

  it('transfers with team alone, the note, then a bot handoff, and never self-assigns', async () => {
    const { harness, adapter } = await setup();
    const { supportUserId } = await adapter.ensureUser({ user: { id: 'user-14' } });
    const { conversationId } = await adapter.openConversation({
      supportUserId,
      sessionId: 's',
      handoffId: 'h',
    });
    harness.fake.requests.length = 0;
    await adapter.transfer({ conversationId, team: '2', note: 'Routing: refund' });
    expect(
      harness.fake.requests.map((entry) => [entry.path.split('/').at(-1), entry.body, entry.auth]),
    ).toEqual([
      ['assignments', { team_id: 2 }, 'bot'],
      [
        'messages',
        {
          content: 'Routing: refund',
          message_type: 'outgoing',
          private: true,
          source_id: expect.stringMatching(/^handoff:transfer:/),
        },
        'bot',
      ],
      ['toggle_status', { status: 'open' }, 'bot'],
    ]);
    const conversation = harness.fake.conversation(Number(conversationId));
    expect(conversation?.status).toBe('open');
    expect(harness.fake.notifications().some((notification) => notification.kind === 'bot_handoff')).toBe(
      true,
    );
  });

  it('attributes bot turns to the agent bot when it posts with a user token', async () => {
    const { harness } = await setup();
    const adapter = chatwootAdapterFor(harness, { requestTimeoutMs: 2_000 }, { agentBotToken: undefined });
    const { supportUserId } = await adapter.ensureUser({ user: { id: 'user-15' } });
    const { conversationId } = await adapter.openConversation({
      supportUserId,
      sessionId: 's',
      handoffId: 'h',
    });
    await adapter.postMessages({
      conversationId,
      messages: [
        { id: 'm1', author: 'bot', text: 'Hello from the bot', createdAt: new Date().toISOString() },
      ],
    });
    const posted = harness.fake.requests.at(-1);
    expect(posted?.body).toMatchObject({ sender_type: 'AgentBot', sender_id: harness.fake.agentBotId });
    expect(harness.fake.conversation(Number(conversationId))?.messages.at(-1)?.sender).toMatchObject({
      type: 'agent_bot',
    });
  });

  it('works behind proxies that drop underscore headers', async () => {
    const { harness } = await setup();
    const adapter = chatwootAdapterFor(
      harness,
      { requestTimeoutMs: 2_000 },
      { tokenHeader: 'api-access-token' },
    );
    expect(await adapter.listTeams()).toHaveLength(3);
  });
});

describe('Chatwoot adapter: labels and availability', () => {
  it('adds labels to those the conversation has, since Chatwoot replaces the whole list', async () => {
    const { harness, adapter } = await setup();
    const { supportUserId } = await adapter.ensureUser({ user: { id: 'user-labels' } });
    const { conversationId } = await adapter.openConversation({
      supportUserId,
      sessionId: 'session-1',
      handoffId: 'handoff-1',
    });
    await admin(harness, 'POST', `/conversations/${conversationId}/labels`, { labels: ['vip'] });
    await adapter.transfer({ conversationId, team: '2', note: 'context', labels: ['bot-handoff'] });
    expect(harness.fake.conversation(Number(conversationId))?.labels.sort()).toEqual(['bot-handoff', 'vip']);
    await adapter.transfer({ conversationId, team: '2', note: 'context', labels: ['vip'] });
    expect(
      paths(harness).filter((path) => path === `POST /conversations/${conversationId}/labels`),
    ).toHaveLength(1);
  });

  it('says a team is unavailable when none of its members is online, or the inbox is closed', async () => {
    const { harness, adapter } = await setup();
    expect(await adapter.teamAvailability?.({ team: '2' })).toEqual({ available: true });
    expect(await adapter.teamAvailability?.({ team: '3' })).toEqual({
      available: false,
      reason: 'no_agents',
    });
    harness.fake.setAvailability(7, 'busy');
    expect(await adapter.teamAvailability?.({ team: '2' })).toEqual({
      available: false,
      reason: 'no_agents',
    });
  });

  it("reads the inbox's working hours (cached) and says outside_hours when it is closed", async () => {
    const { harness, adapter } = await setup();
    harness.fake.setInbox({
      workingHoursEnabled: true,
      timezone: 'Pacific/Kiritimati',
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
    expect(await adapter.teamAvailability?.({ team: '2' })).toEqual({
      available: false,
      reason: 'outside_hours',
    });
    await adapter.teamAvailability?.({ team: '1' });
    expect(paths(harness).filter((path) => path.startsWith('GET /inboxes/'))).toEqual([
      `GET /inboxes/${harness.fake.inboxId}`,
    ]);
  });

  it('asks with the user token (agent bots may not read teams or inboxes)', async () => {
    const { harness, adapter } = await setup();
    await adapter.teamAvailability?.({ team: '1' });
    expect(harness.fake.requests.map((entry) => entry.auth)).toEqual(['user', 'user']);
  });
});

describe('Chatwoot adapter: throttling and errors', () => {
  it('turns a bare 429 into rate_limited with the configured backoff', async () => {
    const { harness } = await setup({ rateLimitPerMinute: 1 });
    const adapter = chatwootAdapterFor(harness, { requestTimeoutMs: 2_000 }, { rateLimitBackoffMs: 7_000 });
    await adapter.listTeams();
    const error = await adapter.ensureUser({ user: { id: 'user-16' } }).catch((caught: unknown) => caught);
    expect(SupportError.isInstance(error) && [error.code, error.retryable, error.retryAfterMs]).toEqual([
      'rate_limited',
      true,
      7_000,
    ]);
  });

  it('never puts a token in an error', async () => {
    const { harness } = await setup();
    const adapter = chatwootAdapterFor(
      harness,
      { requestTimeoutMs: 2_000 },
      { userToken: 'secret-token-123' },
    );
    const error = await adapter.listTeams().catch((caught: unknown) => caught);
    expect(SupportError.isInstance(error) && error.code).toBe('unauthorized');
    expect(
      `${(error as Error).message} ${JSON.stringify(error)} ${String((error as Error).stack)}`,
    ).not.toContain('secret-token-123');
  });
});

describe('Chatwoot adapter: webhooks', () => {
  const signed = (body: string, secret: string, delivery: string) => {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      'x-chatwoot-delivery': delivery,
      'x-chatwoot-timestamp': String(timestamp),
      'x-chatwoot-signature': signTimestampedBody({ secret, timestamp, body }),
    };
  };

  /** A conversation of `userId` transferred to Billing, with the webhooks so far taken. */
  const transferred = async (userId: string) => {
    const { harness, adapter } = await setup();
    const { supportUserId } = await adapter.ensureUser({ user: { id: userId } });
    const { conversationId } = await adapter.openConversation({
      supportUserId,
      sessionId: 's',
      handoffId: 'h',
    });
    await adapter.transfer({ conversationId, team: '2' });
    await harness.takeWebhooks();
    return { harness, adapter, conversationId };
  };

  it('drops the same message sent again under a new delivery id (chatwoot #11901)', async () => {
    const { harness, adapter, conversationId } = await transferred('user-17');
    const delivery = (await harness.agentReply(conversationId, { text: 'Hello' })).find((request) =>
      request.body.includes('"event":"message_created"'),
    );
    if (delivery === undefined) throw new Error('no message_created webhook');
    const first = await adapter.handleWebhook(delivery);
    const again = await adapter.handleWebhook({
      body: delivery.body,
      headers: signed(delivery.body, harness.fake.inboxSecret, 'another-delivery-id'),
    });
    expect(first.events.map((event) => event.type)).toEqual(['agent.message']);
    expect(again.events).toEqual([]);
  });

  it('drops the echo of a message it posted before checking anything; any other message is checked', async () => {
    const { adapter, conversationId } = await transferred('user-18');
    const [posted] = (
      await adapter.postMessages({
        conversationId,
        messages: [{ id: 'm1', author: 'user', text: 'my order', createdAt: new Date().toISOString() }],
      })
    ).posted.map((message) => message.supportMessageId);
    const unsigned = { 'x-chatwoot-delivery': 'echo-1' };
    const echo = JSON.stringify({ event: 'message_created', id: Number(posted), content: 'my order' });
    // Nothing to verify for: whoever sent it, the echo of our own message changes nothing.
    await expect(adapter.handleWebhook({ headers: unsigned, body: echo })).resolves.toEqual({ events: [] });
    const other = JSON.stringify({ event: 'message_created', id: Number(posted) + 1000, content: 'forged' });
    const error = await adapter
      .handleWebhook({ headers: unsigned, body: other })
      .catch((caught: unknown) => caught);
    expect(WebhookVerificationError.isInstance(error) && error.reason).toBe('missing_signature');
  });

  it('refuses unsigned webhooks unless unsigned mode is switched on explicitly', async () => {
    const { harness } = await setup();
    const body = JSON.stringify({
      event: 'conversation_typing_off',
      user: { id: 7, type: 'user' },
      conversation: { id: 1, inbox_id: 3 },
    });
    const signedAdapter = chatwootAdapterFor(harness, { requestTimeoutMs: 1_000 });
    const error = await signedAdapter
      .handleWebhook({ headers: { 'x-chatwoot-delivery': 'd1' }, body })
      .catch((caught: unknown) => caught);
    expect(WebhookVerificationError.isInstance(error) && error.reason).toBe('missing_signature');
    const unsigned = createChatwootAdapter({
      baseUrl: harness.fake.baseUrl,
      accountId: 1,
      inboxId: 3,
      userToken: harness.fake.tokens.admin,
      allowUnsignedWebhooks: true,
      env: {},
    });
    const result = await unsigned.handleWebhook({ headers: { 'x-chatwoot-delivery': 'd1' }, body });
    expect(result.events).toMatchObject([{ type: 'agent.typing', typing: false }]);
  });
});

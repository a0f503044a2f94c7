import { isSupportError, type SupportAdapter, WebhookVerificationError } from '@handoff/core';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSunshineAdapter } from './sunshine-adapter.js';
import type { SunshineSettings } from './sunshine-settings.js';

const sunshineUrl = 'https://acme.zendesk.test';
const settings = {
  baseUrl: `${sunshineUrl}/sc`,
  appId: 'app1',
  keyId: 'app_key_1',
  keySecret: 'sunshine-key-secret-canary',
  webhookSecret: 'webhook-secret-canary',
  integrationId: 'integration-ours',
  zendeskUrl: sunshineUrl,
  zendeskEmail: 'bot@acme.test',
  zendeskApiToken: 'zendesk-token-canary',
  env: {},
} satisfies SunshineSettings;

interface Call {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

let agent: MockAgent;
let calls: Call[];

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  calls = [];
});

afterEach(async () => {
  await agent.close();
});

/** Answers `method path` (a path prefix, query included) once with `status` and `body`, recording the request. */
function answer(
  method: string,
  path: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  agent
    .get(sunshineUrl)
    .intercept({ method, path: (candidate) => candidate === path || candidate.startsWith(`${path}?`) })
    .reply((request) => {
      const rawHeaders = request.headers as Record<string, string>;
      calls.push({
        method,
        path: request.path,
        body: typeof request.body === 'string' ? JSON.parse(request.body) : undefined,
        authorization: rawHeaders.authorization,
      });
      return { statusCode: status, data: JSON.stringify(body), responseOptions: { headers } };
    });
}

const adapter = (overrides: SunshineSettings = {}): SupportAdapter =>
  createSunshineAdapter({ ...settings, dispatcher: agent, ...overrides });

const app = '/sc/v2/apps/app1';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const webhook = (events: unknown[], secret: string | null = settings.webhookSecret) => ({
  headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'X-API-Key': secret }) },
  body: JSON.stringify({ app: { id: 'app1' }, webhook: { id: 'wh1', version: 'v2' }, events }),
});

const agentMessage = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
  id: `event-${id}`,
  type: 'conversation:message',
  createdAt: '2026-12-05T06:00:00.000Z',
  payload: {
    conversation: {
      id: 'conv1',
      type: 'personal',
      metadata: { handoff_session_id: 'session-1' },
      activeSwitchboardIntegration: {
        id: 'sw-aw',
        name: 'zd-agentWorkspace',
        integrationType: 'zd:agentWorkspace',
      },
    },
    message: {
      id,
      received: '2026-12-05T06:00:00.000Z',
      author: { type: 'business', displayName: 'Alex from Support', subtypes: ['agent'] },
      content: { type: 'text', text },
      source: { type: 'zd:agentWorkspace' },
      metadata: { '__zendesk_msg.agent.id': '9001' },
      ...extra,
    },
  },
});

describe('Sunshine adapter: users', () => {
  it('creates the user by externalId with the profile, with the app key', async () => {
    answer('POST', `${app}/users`, 201, { user: { id: 'user1', externalId: 'bot-user-1' } });
    const result = await adapter().ensureUser({
      user: { id: 'bot-user-1', name: 'Ada Lovelace', email: 'ada@example.test' },
    });
    expect(result).toEqual({ supportUserId: 'user1', created: true });
    expect(calls[0]?.body).toEqual({
      externalId: 'bot-user-1',
      profile: { givenName: 'Ada Lovelace', email: 'ada@example.test' },
    });
    expect(calls[0]?.authorization).toBe(basic('app_key_1', settings.keySecret));
  });

  it('answers the existing user on 409 (GetUser takes the externalId), created false', async () => {
    answer('POST', `${app}/users`, 409, { errors: [{ code: 'conflict', title: 'User already exists' }] });
    answer('GET', `${app}/users/bot%2Fuser%202`, 200, { user: { id: 'user2', externalId: 'bot/user 2' } });
    expect(await adapter().ensureUser({ user: { id: 'bot/user 2' } })).toEqual({
      supportUserId: 'user2',
      created: false,
    });
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      `POST ${app}/users`,
      `GET ${app}/users/bot%2Fuser%202`,
    ]);
  });
});

describe('Sunshine adapter: conversations and messages', () => {
  it('opens a personal conversation with the handoff in its metadata, then passes control to the bot side', async () => {
    answer('POST', `${app}/conversations`, 201, {
      conversation: { id: 'conv1', type: 'personal', activeSwitchboardIntegration: null },
    });
    answer('GET', `${app}/switchboards`, 200, { switchboards: [{ id: 'sb1', enabled: true }] });
    answer('GET', `${app}/switchboards/sb1/switchboardIntegrations`, 200, {
      switchboardIntegrations: [
        { id: 'sw-aw', name: 'zd-agentWorkspace', integrationType: 'zd:agentWorkspace' },
        { id: 'sw-ours', name: 'handoff', integrationId: 'integration-ours', integrationType: 'custom' },
      ],
    });
    answer('POST', `${app}/conversations/conv1/passControl`, 200, {});
    const opened = await adapter().openConversation({
      supportUserId: 'user1',
      sessionId: 'session-1',
      handoffId: 'handoff-1',
      attributes: { plan: 'gold', seats: 3 },
    });
    expect(opened).toEqual({ conversationId: 'conv1', recovered: false });
    expect(calls[0]?.body).toEqual({
      type: 'personal',
      participants: [{ userId: 'user1' }],
      metadata: {
        handoff_id: 'handoff-1',
        handoff_session_id: 'session-1',
        handoff_user_id: 'user1',
        plan: 'gold',
        seats: 3,
      },
    });
    expect(calls.at(-1)?.body).toEqual({
      switchboardIntegration: 'sw-ours',
      metadata: { handoff_passed_by: 'handoff' },
    });
  });

  it('with recover, finds the conversation of the same handoff among the user’s', async () => {
    answer('GET', `${app}/conversations`, 200, {
      conversations: [
        { id: 'other', metadata: { handoff_id: 'handoff-0' } },
        {
          id: 'conv1',
          metadata: { handoff_id: 'handoff-1' },
          activeSwitchboardIntegration: { id: 'sw-ours', integrationId: 'integration-ours' },
        },
      ],
      meta: { hasMore: false },
    });
    const opened = await adapter().openConversation({
      supportUserId: 'user1',
      sessionId: 'session-1',
      handoffId: 'handoff-1',
      recover: true,
    });
    expect(opened).toEqual({ conversationId: 'conv1', recovered: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toContain('filter%5BuserId%5D=user1');
  });

  it('posts user turns as the user and bot turns as the business, each with its id in the metadata', async () => {
    answer('GET', `${app}/conversations/conv1`, 200, {
      conversation: { id: 'conv1', metadata: { handoff_user_id: 'user1' } },
    });
    answer('POST', `${app}/conversations/conv1/messages`, 201, { messages: [{ id: 'sm1' }] });
    answer('POST', `${app}/conversations/conv1/messages`, 201, { messages: [{ id: 'sm2' }] });
    const at = new Date().toISOString();
    const result = await adapter({ botName: 'Shop bot' }).postMessages({
      conversationId: 'conv1',
      messages: [
        { id: 'm1', author: 'user', text: 'Where is my parcel?', createdAt: at },
        { id: 'm2', author: 'bot', text: 'Let me check.', createdAt: at },
      ],
    });
    expect(result.posted).toEqual([
      { id: 'm1', supportMessageId: 'sm1' },
      { id: 'm2', supportMessageId: 'sm2' },
    ]);
    expect(calls.slice(1).map((call) => call.body)).toEqual([
      {
        author: { type: 'user', userId: 'user1' },
        content: { type: 'text', text: 'Where is my parcel?' },
        metadata: { handoff_message_id: 'm1' },
      },
      {
        author: { type: 'business', displayName: 'Shop bot' },
        content: { type: 'text', text: 'Let me check.' },
        metadata: { handoff_message_id: 'm2' },
      },
    ]);
  });

  it('with recover, posts only what the conversation does not have yet', async () => {
    answer('GET', `${app}/conversations/conv1/messages`, 200, {
      messages: [{ id: 'sm1', author: { type: 'business' }, metadata: { handoff_message_id: 'm1' } }],
      meta: { hasMore: false },
    });
    answer('POST', `${app}/conversations/conv1/messages`, 201, { messages: [{ id: 'sm2' }] });
    const at = new Date().toISOString();
    const result = await adapter().postMessages({
      conversationId: 'conv1',
      recover: true,
      messages: [
        { id: 'm1', author: 'bot', text: 'posted before', createdAt: at },
        { id: 'm2', author: 'bot', text: 'not yet', createdAt: at },
      ],
    });
    expect(result.posted).toEqual([{ id: 'm2', supportMessageId: 'sm2' }]);
  });

  it('refuses a text over 4096 UTF-16 units before posting anything', async () => {
    const at = new Date().toISOString();
    const attempt = adapter().postMessages({
      conversationId: 'conv1',
      messages: [
        { id: 'm1', author: 'bot', text: 'fine', createdAt: at },
        { id: 'm2', author: 'bot', text: 'x'.repeat(4097), createdAt: at },
      ],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_request', retryable: false });
    expect(calls).toEqual([]);
  });
});

describe('Sunshine adapter: teams, transfer and close', () => {
  const groups = () => {
    answer('GET', '/api/v2/groups', 200, {
      groups: [
        { id: 360001, name: 'Support' },
        { id: 360002, name: 'Old', deleted: true },
      ],
      meta: { has_more: true, after_cursor: 'cursor-2' },
    });
    answer('GET', '/api/v2/groups', 200, {
      groups: [{ id: 360003, name: 'Billing' }],
      meta: { has_more: false, after_cursor: null },
    });
  };

  it('lists the Zendesk groups page by page with the Support API token, deleted ones left out', async () => {
    groups();
    expect(await adapter().listTeams()).toEqual([
      { id: '360001', name: 'Support' },
      { id: '360003', name: 'Billing' },
    ]);
    expect(calls[1]?.path).toContain('page%5Bafter%5D=cursor-2');
    expect(calls[0]?.authorization).toBe(basic('bot@acme.test/token', settings.zendeskApiToken));
  });

  it('refuses a group Zendesk does not have, before any switchboard action', async () => {
    groups();
    await expect(
      adapter().transfer({ conversationId: 'conv1', team: '999', note: 'to nowhere' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(calls.every((call) => call.path.startsWith('/api/v2/groups'))).toBe(true);
  });

  it('leaves the note as a silent message, then passes control to the Agent Workspace with the routing tag', async () => {
    groups();
    answer('GET', `${app}/conversations/conv1/messages`, 200, {
      messages: [{ id: 'first-message', author: { type: 'user' } }],
      meta: { hasMore: false },
    });
    answer('POST', `${app}/conversations/conv1/messages`, 201, { messages: [{ id: 'note-message' }] });
    answer('POST', `${app}/conversations/conv1/passControl`, 200, {});
    const result = await adapter().transfer({
      conversationId: 'conv1',
      team: '360003',
      note: 'Routing: refund',
      labels: ['Bot Handoff'],
    });
    expect(result.team).toEqual({ id: '360003', name: 'Billing' });
    const [note, pass] = calls.slice(-2);
    expect(note?.body).toMatchObject({
      author: { type: 'business' },
      content: { type: 'text', text: 'Routing: refund' },
      destination: { integrationType: 'none' },
    });
    expect(pass?.body).toEqual({
      switchboardIntegration: 'zd:agentWorkspace',
      metadata: {
        'dataCapture.systemField.tags': 'handoff_group_360003 bot_handoff',
        first_message_id: 'first-message',
        handoff_group_id: '360003',
        handoff_passed_by: 'handoff',
      },
    });
  });

  it('closes by leaving the note, then releasing control; a conversation nobody holds is closed already', async () => {
    answer('GET', `${app}/conversations/conv1`, 200, {
      conversation: { id: 'conv1', activeSwitchboardIntegration: { integrationType: 'zd:agentWorkspace' } },
    });
    answer('POST', `${app}/conversations/conv1/messages`, 201, { messages: [{ id: 'note' }] });
    answer('POST', `${app}/conversations/conv1/releaseControl`, 200, {});
    await adapter().closeSession({ conversationId: 'conv1', note: 'The user went back to the bot' });
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      `GET ${app}/conversations/conv1`,
      `POST ${app}/conversations/conv1/messages`,
      `POST ${app}/conversations/conv1/releaseControl`,
    ]);
    expect(calls[2]?.body).toEqual({ metadata: { handoff_closed_by: 'bot' } });

    calls = [];
    answer('GET', `${app}/conversations/conv1`, 200, { conversation: { id: 'conv1' } });
    await adapter().closeSession({ conversationId: 'conv1', note: 'again', recover: true });
    expect(calls).toHaveLength(1);
  });
});

describe('Sunshine adapter: catching up', () => {
  it('reads back the agents’ messages after the last one seen, with the webhooks’ ids, and the close', async () => {
    answer('GET', `${app}/conversations/conv1`, 200, {
      conversation: { id: 'conv1', metadata: { handoff_session_id: 'session-1' } },
    });
    const agentMessage = (id: string, text: string) => ({
      id,
      received: '2026-12-05T06:00:00.000Z',
      author: { type: 'business', displayName: 'Alex', subtypes: ['agent'] },
      content: { type: 'text', text },
      source: { type: 'zd:agentWorkspace' },
    });
    answer('GET', `${app}/conversations/conv1/messages`, 200, {
      messages: [
        agentMessage('a1', 'seen already'),
        {
          id: 'b1',
          author: { type: 'business' },
          content: { type: 'text', text: 'ours' },
          metadata: { handoff_message_id: 'm1' },
        },
        agentMessage('a2', 'missed'),
      ],
      meta: { hasMore: false },
    });
    const subject = adapter();
    const result = await subject.syncConversation?.({ conversationId: 'conv1', afterMessageId: 'a1' });
    expect(result?.events.map((event) => [event.type, event.id])).toEqual([
      ['agent.message', 'message:a2'],
      ['conversation.closed', 'closed:conv1'],
    ]);
  });
});

describe('Sunshine adapter: errors', () => {
  it('a 429 is retryable after Retry-After, and no error carries a credential', async () => {
    answer(
      'POST',
      `${app}/users`,
      429,
      { errors: [{ code: 'too_many_requests', title: 'Too many requests' }] },
      { 'retry-after': '7' },
    );
    const error = await adapter()
      .ensureUser({ user: { id: 'u' } })
      .catch((thrown: unknown) => thrown);
    expect(isSupportError(error) && error.code).toBe('rate_limited');
    expect(isSupportError(error) && error.retryAfterMs).toBe(7_000);
    const text = JSON.stringify({ error, message: (error as Error).message });
    for (const secret of [settings.keySecret, settings.zendeskApiToken, settings.webhookSecret])
      expect(text).not.toContain(secret);
  });

  it('an unknown conversation is not_found', async () => {
    answer('GET', `${app}/conversations/nope`, 404, {
      errors: [{ code: 'conversation_not_found', title: 'Conversation not found' }],
    });
    await expect(adapter().closeSession({ conversationId: 'nope' })).rejects.toMatchObject({
      code: 'not_found',
      retryable: false,
    });
  });
});

describe('Sunshine adapter: webhooks', () => {
  it('refuses a delivery without X-API-Key or with another secret', async () => {
    const subject = adapter();
    const missing = webhook([agentMessage('msg1', 'hi')], null);
    await expect(subject.handleWebhook(missing)).rejects.toMatchObject({ reason: 'missing_signature' });
    const wrong = webhook([agentMessage('msg1', 'hi')], `${settings.webhookSecret}x`);
    await expect(subject.handleWebhook(wrong)).rejects.toBeInstanceOf(WebhookVerificationError);
    // Refusals leave no trace: the genuine delivery is still accepted.
    expect((await subject.handleWebhook(webhook([agentMessage('msg1', 'hi')]))).events).toHaveLength(1);
  });

  it("turns an agent's message into agent.message with the session and the agent", async () => {
    const result = await adapter().handleWebhook(webhook([agentMessage('msg1', 'Hello from support')]));
    expect(result.deliveryId).toBe('event-msg1');
    expect(result.events).toEqual([
      {
        type: 'agent.message',
        id: 'message:msg1',
        conversationId: 'conv1',
        sessionId: 'session-1',
        occurredAt: '2026-12-05T06:00:00.000Z',
        message: { id: 'msg1', text: 'Hello from support' },
        agent: { id: '9001', name: 'Alex from Support' },
      },
    ]);
  });

  it('drops our own posts, user messages, AI and activity messages', async () => {
    const result = await adapter().handleWebhook(
      webhook([
        agentMessage('own', 'mirrored', { metadata: { handoff_message_id: 'm1' } }),
        agentMessage('note', 'our note', { metadata: { handoff_note_id: 'transfer:abc' } }),
        agentMessage('user', 'a user', { author: { type: 'user', userId: 'user1' } }),
        agentMessage('ai', 'an AI', { author: { type: 'business', subtypes: ['AI'] } }),
        agentMessage('activity', 'ticket closed', { author: { type: 'business', subtypes: ['activity'] } }),
      ]),
    );
    expect(result.events).toEqual([]);
  });

  it('refuses a replayed delivery by its event ids', async () => {
    const subject = adapter();
    const delivery = webhook([agentMessage('msg1', 'once'), agentMessage('msg2', 'twice')]);
    await subject.handleWebhook(delivery);
    await expect(subject.handleWebhook(delivery)).rejects.toMatchObject({ reason: 'replayed_delivery' });
  });

  it('reports the Agent Workspace releasing control as closed, but not our own release', async () => {
    const release = (id: string, metadata?: Record<string, string>) => ({
      id,
      type: 'switchboard:releaseControl',
      createdAt: '2026-12-05T06:10:00.000Z',
      payload: {
        conversation: { id: 'conv1', type: 'personal' },
        reason: 'ticketClosed',
        ...(metadata ? { metadata } : {}),
      },
    });
    const subject = adapter();
    expect((await subject.handleWebhook(webhook([release('e1')]))).events).toEqual([
      {
        type: 'conversation.closed',
        id: 'closed:conv1',
        conversationId: 'conv1',
        occurredAt: '2026-12-05T06:10:00.000Z',
        closedBy: 'agent',
      },
    ]);
    expect(
      (await subject.handleWebhook(webhook([release('e2', { handoff_closed_by: 'bot' })]))).events,
    ).toEqual([]);
  });

  it('reports business typing as agent.typing', async () => {
    const typing = (id: string, type: string) => ({
      id,
      type: 'conversation:typing',
      payload: {
        conversation: { id: 'conv1' },
        activity: { type, author: { type: 'business', displayName: 'Alex' } },
      },
    });
    const result = await adapter().handleWebhook(
      webhook([typing('t1', 'typing:start'), typing('t2', 'typing:stop')]),
    );
    expect(result.events.map((event) => (event.type === 'agent.typing' ? event.typing : undefined))).toEqual([
      true,
      false,
    ]);
  });

  it('a body that is not JSON is malformed, after the secret is checked', async () => {
    await expect(
      adapter().handleWebhook({ headers: { 'x-api-key': settings.webhookSecret }, body: 'not json' }),
    ).rejects.toMatchObject({ reason: 'malformed_body' });
  });
});

import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookRequest } from '@handoff/core';
import { FormData, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeChatwoot, type FakeChatwootSettings, startFakeChatwoot } from './fake-chatwoot-server.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

interface CallOptions {
  token?: string;
  body?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

let fake: FakeChatwoot;
let webhooks: WebhookRequest[];

async function restart(settings: FakeChatwootSettings = {}) {
  await fake.close();
  fake = await startFakeChatwoot(settings);
  webhooks = [];
  fake.subscribe((delivery) => {
    webhooks.push(delivery);
  });
}

beforeEach(async () => {
  fake = await startFakeChatwoot();
  webhooks = [];
  fake.subscribe((delivery) => {
    webhooks.push(delivery);
  });
});

afterEach(async () => {
  await fake.close();
});

async function call(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.api_access_token = options.token;
  let body: string | FormData | undefined;
  if (options.form !== undefined) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await request(`${fake.baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) };
}

const api = (path: string) => `/api/v1/accounts/1${path}`;
const admin = () => fake.tokens.admin;

async function createContact(fields: Record<string, unknown>): Promise<{ id: number; sourceId: string }> {
  const answer = await call('POST', api('/contacts'), { token: admin(), body: { inbox_id: 3, ...fields } });
  expect(answer.status).toBe(200);
  const payload = (
    answer.json() as { payload: { contact: { id: number }; contact_inbox: { source_id: string } } }
  ).payload;
  return { id: payload.contact.id, sourceId: payload.contact_inbox.source_id };
}

async function createConversation(fields: Record<string, unknown> = {}, token = admin()): Promise<number> {
  const contact = await createContact({
    identifier: `user-${Math.random().toString(36).slice(2)}`,
    name: 'Jane',
  });
  const answer = await call('POST', api('/conversations'), {
    token,
    body: { inbox_id: 3, contact_id: contact.id, ...fields },
  });
  expect(answer.status).toBe(200);
  return (answer.json() as { id: number }).id;
}

/** Every delivery since the last call, in arrival order (Chatwoot's own order is none). */
async function settledWebhooks(): Promise<Array<Record<string, unknown>>> {
  await fake.idle();
  return webhooks.splice(0).map((delivery) => JSON.parse(delivery.body) as Record<string, unknown>);
}

/** The sorted event names of some deliveries. */
const eventNames = (events: Array<Record<string, unknown>>) =>
  events.map((event) => String(event.event)).sort();

describe('authentication (access_token_auth_helper.rb, ensure_current_account_helper.rb)', () => {
  it('answers the three 401 bodies and the account checks', async () => {
    const noToken = await call('GET', api('/teams'));
    expect(noToken.status).toBe(401);
    expect(noToken.json()).toEqual({ errors: ['You need to sign in or sign up before continuing.'] });

    const unknown = await call('GET', api('/teams'), { token: 'no-such-token' });
    expect(unknown.status).toBe(401);
    expect(unknown.json()).toEqual({ error: 'Invalid Access Token' });

    const bot = await call('GET', api('/teams'), { token: fake.tokens.bot });
    expect(bot.status).toBe(401);
    expect(bot.json()).toEqual({ error: 'Access to this endpoint is not authorized for bots' });

    // `Account.find` raises RecordNotFound: a 404, not a refusal.
    const otherAccount = await call('GET', '/api/v1/accounts/2/teams', { token: admin() });
    expect(otherAccount.status).toBe(404);
    expect(otherAccount.json()).toEqual({ error: 'Resource could not be found' });

    fake.setAccountStatus('suspended');
    const suspended = await call('GET', api('/teams'), { token: admin() });
    expect(suspended.status).toBe(401);
    expect(suspended.json()).toEqual({ error: 'Account is suspended' });
  });

  it('lets a bot token call only the bot endpoints', async () => {
    const conversationId = await createConversation({ status: 'pending' });
    const bot = { token: fake.tokens.bot };
    expect((await call('GET', api(`/conversations/${conversationId}`), bot)).status).toBe(200);
    expect((await call('POST', api('/contacts/filter'), { ...bot, body: { payload: [] } })).status).toBe(401);
    expect((await call('GET', api(`/conversations/${conversationId}/messages`), bot)).status).toBe(401);
    const posted = await call('POST', api(`/conversations/${conversationId}/messages`), {
      ...bot,
      body: { content: 'Bot turn' },
    });
    expect(posted.status).toBe(200);
    expect(posted.json()).toMatchObject({ sender: { id: 5, type: 'agent_bot' } });
  });

  it('accepts the token in the dashed header nginx lets through', async () => {
    const answer = await call('GET', api('/teams'), { headers: { 'api-access-token': fake.tokens.agent } });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual([
      expect.objectContaining({ id: 1, name: 'support', is_member: true }),
      expect.objectContaining({ id: 2, name: 'billing', is_member: true }),
      expect.objectContaining({ id: 3, name: 'orders', is_member: false, allow_auto_assign: true }),
    ]);
  });

  it('answers 404 with the Rails bodies for unknown records and unknown routes', async () => {
    const missing = await call('GET', api('/conversations/999'), { token: admin() });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: 'Resource could not be found' });
    // No route: Rails' public exceptions app, as JSON for a JSON client.
    const noRoute = await call('GET', '/api/v1/nothing-here', { token: admin() });
    expect(noRoute.status).toBe(404);
    expect(noRoute.json()).toEqual({ status: 404, error: 'Not Found' });
    // A bad %-escape in the path: Rails answers 400 before any action.
    const badEscape = await call('GET', api('/conversations/%E0%A4%A'), { token: admin() });
    expect(badEscape.status).toBe(400);
    expect(badEscape.json()).toEqual({ status: 400, error: 'Bad Request' });
    // Also in the account segment, which Rails decodes like any other.
    expect((await call('GET', '/api/v1/accounts/%E0%A4%A/teams', { token: admin() })).status).toBe(400);
  });

  it('records every non-harness request with how it authenticated', async () => {
    await call('GET', api('/teams'), { token: admin() });
    await call('GET', api('/teams'), { token: 'bad' });
    await call('GET', api('/teams'));
    await call('GET', api('/teams'), { token: admin(), headers: { 'x-fake-chatwoot-harness': '1' } });
    expect(fake.requests.map((recorded) => [recorded.path, recorded.auth])).toEqual([
      ['/api/v1/accounts/1/teams', 'user'],
      ['/api/v1/accounts/1/teams', 'invalid'],
      ['/api/v1/accounts/1/teams', 'none'],
    ]);
  });

  it('records the headers, the timing and the answer of each request', async () => {
    await call('GET', api('/teams'), { token: admin(), headers: { 'user-agent': 'handoff-test/1.0' } });
    const [recorded] = fake.requests;
    expect(recorded?.headers).toMatchObject({ api_access_token: admin(), 'user-agent': 'handoff-test/1.0' });
    expect(recorded?.receivedAt).toBeInstanceOf(Date);
    expect(recorded?.timing.answeredMs).toBeGreaterThanOrEqual(recorded?.timing.receivedMs ?? Number.NaN);
    expect(recorded?.response).toMatchObject({ status: 200, contentType: 'application/json; charset=utf-8' });
  });
});

describe('contacts (contacts_controller.rb, contact.rb, filter_service.rb)', () => {
  it('creates a contact with a contact_inbox and answers the documented shape', async () => {
    const answer = await call('POST', api('/contacts'), {
      token: admin(),
      body: { inbox_id: 3, identifier: 'user-1', name: 'Jane', custom_attributes: { plan: 'pro' } },
    });
    expect(answer.status).toBe(200);
    const { payload } = answer.json() as {
      payload: { contact: Record<string, unknown>; contact_inbox: { source_id: string; inbox: unknown } };
    };
    expect(payload.contact).toMatchObject({
      identifier: 'user-1',
      name: 'Jane',
      email: null,
      custom_attributes: { plan: 'pro' },
      contact_inboxes: [
        { source_id: payload.contact_inbox.source_id, inbox: { id: 3, channel_type: 'Channel::Api' } },
      ],
    });
    expect(payload.contact_inbox.source_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.contact_inbox.inbox).toMatchObject({
      id: 3,
      name: 'Bot handoff',
      enable_auto_assignment: true,
    });
  });

  it('never de-duplicates: a duplicate identifier, email (any case) or phone is a 422', async () => {
    await createContact({ identifier: 'user-1', email: 'jane@example.test', phone_number: '+4915112345678' });
    const duplicate = async (fields: Record<string, unknown>) => {
      const answer = await call('POST', api('/contacts'), { token: admin(), body: fields });
      return { status: answer.status, body: answer.json() };
    };
    expect(await duplicate({ identifier: 'user-1' })).toEqual({
      status: 422,
      body: { message: 'Identifier has already been taken', attributes: ['identifier'] },
    });
    expect(await duplicate({ email: 'JANE@example.test' })).toEqual({
      status: 422,
      body: { message: 'Email has already been taken', attributes: ['email'] },
    });
    expect(await duplicate({ phone_number: '+4915112345678' })).toEqual({
      status: 422,
      body: { message: 'Phone number has already been taken', attributes: ['phone_number'] },
    });
    expect(await duplicate({ phone_number: '015112345678' })).toEqual({
      status: 422,
      body: { message: 'Phone number should be in e164 format', attributes: ['phone_number'] },
    });
    expect(fake.contacts()).toHaveLength(1);
  });

  it('filters by identifier exactly (not as a substring) and case-insensitively', async () => {
    await createContact({ identifier: 'user-12' });
    await createContact({ identifier: 'user-123' });
    const filter = (value: string) =>
      call('POST', api('/contacts/filter'), {
        token: admin(),
        body: {
          payload: [
            {
              attribute_key: 'identifier',
              filter_operator: 'equal_to',
              values: [value],
              query_operator: null,
            },
          ],
        },
      });
    const found = await filter('USER-12');
    expect(found.status).toBe(200);
    const body = found.json() as {
      meta: unknown;
      payload: Array<{ identifier: string; contact_inboxes: unknown[] }>;
    };
    expect(body.meta).toEqual({ count: 1, current_page: 1 });
    expect(body.payload.map((contact) => contact.identifier)).toEqual(['user-12']);
    expect(body.payload[0]?.contact_inboxes).toHaveLength(1);
    expect((await filter('user-1')).json()).toMatchObject({ meta: { count: 0 }, payload: [] });
  });

  it('searches by substring, with identifiers case-sensitive', async () => {
    await createContact({ identifier: 'user-12', name: 'Jane' });
    await createContact({ identifier: 'user-123', name: 'Omar' });
    const search = async (q: string) =>
      (
        (
          await call('GET', api(`/contacts/search?q=${encodeURIComponent(q)}`), { token: admin() })
        ).json() as {
          payload: Array<{ identifier: string }>;
        }
      ).payload.map((contact) => contact.identifier);
    expect(await search('user-1')).toEqual(['user-12', 'user-123']);
    expect(await search('USER-1')).toEqual([]);
    expect(await search('jAnE')).toEqual(['user-12']);
    // `render … if params[:q].blank? && return` returns before rendering: the empty template.
    expect((await call('GET', api('/contacts/search'), { token: admin() })).json()).toEqual({
      meta: { count: null, current_page: 1, has_more: null },
      payload: [],
    });
  });

  it('refuses an unknown filter key with a 422 error text', async () => {
    const answer = await call('POST', api('/contacts/filter'), {
      token: admin(),
      body: { payload: [{ attribute_key: 'shoe_size', filter_operator: 'equal_to', values: ['42'] }] },
    });
    expect(answer.status).toBe(422);
    expect(answer.json()).toEqual({ error: expect.stringContaining('shoe_size') });
  });

  it('merges attributes on update and keeps contact_inboxes idempotent per source_id', async () => {
    const contact = await createContact({ identifier: 'user-1', custom_attributes: { plan: 'pro' } });
    const updated = await call('PUT', api(`/contacts/${contact.id}`), {
      token: admin(),
      body: { custom_attributes: { tier: 'gold' }, name: 'Jane Doe' },
    });
    expect(updated.json()).toMatchObject({
      payload: { name: 'Jane Doe', custom_attributes: { plan: 'pro', tier: 'gold' } },
    });
    const again = await call('POST', api(`/contacts/${contact.id}/contact_inboxes`), {
      token: admin(),
      body: { inbox_id: 3, source_id: contact.sourceId },
    });
    expect(again.json()).toMatchObject({ source_id: contact.sourceId, inbox: { id: 3, provider: null } });
    expect(fake.contacts()[0]?.contactInboxes).toHaveLength(1);
  });
});

describe('messages (messages_controller.rb, message_builder.rb, message.rb)', () => {
  it('answers an INTEGER message_type over REST and sends a STRING one in webhooks', async () => {
    const conversationId = await createConversation({ status: 'pending' });
    await settledWebhooks();
    const incoming = await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: admin(),
      body: { content: 'Where is my parcel?', message_type: 'incoming', source_id: 'handoff:m1' },
    });
    expect(incoming.status).toBe(200);
    const rest = incoming.json() as Record<string, unknown>;
    expect(rest).toMatchObject({
      content: 'Where is my parcel?',
      message_type: 0,
      conversation_id: conversationId,
      status: 'sent',
      source_id: 'handoff:m1',
      sender: { type: 'contact' },
    });
    expect(typeof rest.created_at).toBe('number');

    const created = (await settledWebhooks()).find((event) => event.event === 'message_created');
    expect(created).toMatchObject({
      event: 'message_created',
      message_type: 'incoming',
      source_id: 'handoff:m1',
      inbox: { id: 3, name: 'Bot handoff' },
      account: { id: 1, name: 'Acme' },
      conversation: { id: conversationId, status: 'pending', messages: [{ message_type: 0 }] },
    });
    expect(created?.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(created?.sender).not.toHaveProperty('type');
    expect(created?.sender).toMatchObject({ identifier: expect.stringMatching(/^user-/) });

    const listed = await call('GET', api(`/conversations/${conversationId}/messages`), { token: admin() });
    expect(
      (listed.json() as { payload: Array<{ message_type: number }> }).payload.map(
        (item) => item.message_type,
      ),
    ).toEqual([0]);
  });

  it('sends private notes and the poster’s own messages back as webhooks (echoes)', async () => {
    const conversationId = await createConversation({ status: 'pending' });
    await settledWebhooks();
    await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: admin(),
      body: { content: 'Bot turn', sender_type: 'AgentBot', sender_id: 5 },
    });
    await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: admin(),
      body: { content: 'Summary for agents', private: true },
    });
    const events = (await settledWebhooks()).filter((event) => event.event === 'message_created');
    expect(
      events.map((event) => [event.content, event.private, (event.sender as { type?: string }).type]).sort(),
    ).toEqual([
      ['Bot turn', false, 'agent_bot'],
      ['Summary for agents', true, 'user'],
    ]);
  });

  it('reopens a resolved conversation on an incoming message', async () => {
    const conversationId = await createConversation();
    await call('POST', api(`/conversations/${conversationId}/toggle_status`), {
      token: admin(),
      body: { status: 'resolved' },
    });
    await settledWebhooks();
    await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: admin(),
      body: { content: 'One more thing', message_type: 'incoming' },
    });
    expect(fake.conversation(conversationId)?.status).toBe('open');
    const events = await settledWebhooks();
    // The reopen's status events, and the waiting_since the incoming message sets.
    expect(eventNames(events)).toEqual([
      'conversation_status_changed',
      'conversation_updated',
      'conversation_updated',
      'message_created',
    ]);
    // The contact reopened it: the "System reopened" line (`Current.executed_by = contact`).
    expect(fake.conversation(conversationId)?.messages.map((message) => message.content)).toContain(
      'System reopened the conversation due to a new incoming message.',
    );
  });

  it('does not reopen for a blocked contact, and reopens a snoozed one to open even with an agent bot', async () => {
    await restart({ agentBot: { outgoingUrl: undefined } });
    const conversationId = await createConversation();
    await call('POST', api(`/conversations/${conversationId}/toggle_status`), {
      token: admin(),
      body: { status: 'snoozed' },
    });
    await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: admin(),
      body: { content: 'Still there?', message_type: 'incoming' },
    });
    expect(fake.conversation(conversationId)?.status).toBe('open');
    await call('POST', api(`/conversations/${conversationId}/toggle_status`), {
      token: admin(),
      body: { status: 'resolved' },
    });
    await call('PUT', api(`/contacts/${fake.conversation(conversationId)?.contactId}`), {
      token: admin(),
      body: { blocked: true },
    });
    await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: admin(),
      body: { content: 'Hello?', message_type: 'incoming' },
    });
    expect(fake.conversation(conversationId)?.status).toBe('resolved');
  });

  it('counts content in code points, as Ruby does, up to 150,000', async () => {
    const conversationId = await createConversation({ status: 'pending' });
    const emoji = '😀'.repeat(75_001);
    const accepted = await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: admin(),
      body: { content: emoji, message_type: 'incoming' },
    });
    expect(accepted.status).toBe(200);
    const refused = await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: admin(),
      body: { content: '😀'.repeat(150_001), message_type: 'incoming' },
    });
    expect(refused.status).toBe(422);
    expect(refused.json()).toEqual({
      error: 'Validation failed: Content is too long (maximum is 150000 characters)',
    });
  });

  it('casts message_type as the Rails enum: a name or a JSON integer, never a numeric string', async () => {
    const conversationId = await createConversation({ status: 'pending' });
    const post = (body: Record<string, unknown>) =>
      call('POST', api(`/conversations/${conversationId}/messages`), { token: admin(), body });
    expect((await post({ content: 'x', message_type: '1' })).json()).toEqual({
      error: "'1' is not a valid message_type",
    });
    // An integer skips the builder's `message_type == 'outgoing'` test: the contact is the sender.
    expect((await post({ content: 'y', message_type: 1 })).json()).toMatchObject({
      message_type: 1,
      sender: { type: 'contact' },
    });
    expect((await post({ content: 'z', content_type: 'shoe' })).json()).toEqual({
      error: "'shoe' is not a valid content_type",
    });
  });

  it('refuses the 201st message within a minute', async () => {
    await restart({ now: () => new Date('2026-06-20T10:00:00Z') });
    const conversationId = await createConversation({ status: 'pending' });
    for (let count = 1; count <= 200; count += 1) {
      const answer = await call('POST', api(`/conversations/${conversationId}/messages`), {
        token: admin(),
        body: { content: `message ${count}`, message_type: 'incoming' },
      });
      expect(answer.status).toBe(200);
    }
    const refused = await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: admin(),
      body: { content: 'message 201', message_type: 'incoming' },
    });
    expect(refused.status).toBe(422);
    expect(refused.json()).toEqual({ error: 'Validation failed: Too many messages' });
  });

  it('stores multipart attachments and serves them at data_url', async () => {
    const conversationId = await createConversation({ status: 'pending' });
    const form = new FormData();
    form.append('content', 'Here is my receipt');
    form.append('message_type', 'incoming');
    form.append('attachments[]', new Blob(['Receipt A-1043'], { type: 'text/plain' }), 'receipt.txt');
    const answer = await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: admin(),
      form,
    });
    expect(answer.status).toBe(200);
    const [attachment] = (answer.json() as { attachments: Array<Record<string, unknown>> }).attachments;
    expect(attachment).toMatchObject({
      file_type: 'file',
      content_type: 'text/plain',
      file_size: 14,
      thumb_url: '',
    });
    expect(fake.requests.at(-1)?.body).toEqual({
      content: 'Here is my receipt',
      message_type: 'incoming',
      'attachments[]': [{ filename: 'receipt.txt', type: 'text/plain', size: 14 }],
    });

    const redirect = await request(String(attachment?.data_url));
    await redirect.body.dump();
    expect(redirect.statusCode).toBe(302);
    const download = await request(String(redirect.headers.location));
    expect(download.headers['content-type']).toBe('text/plain');
    expect(await download.body.text()).toBe('Receipt A-1043');
  });

  it('takes delivery reports for agent messages from user tokens only', async () => {
    const conversationId = await createConversation({ status: 'pending' });
    const posted = await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: fake.tokens.agent,
      body: { content: 'Hello from Anna' },
    });
    const messageId = (posted.json() as { id: number }).id;
    await settledWebhooks();
    const path = api(`/conversations/${conversationId}/messages/${messageId}`);
    expect(
      (await call('PATCH', path, { token: fake.tokens.bot, body: { status: 'delivered' } })).status,
    ).toBe(401);
    const answer = await call('PATCH', path, { token: admin(), body: { status: 'delivered' } });
    expect(answer.json()).toMatchObject({ id: messageId, status: 'delivered', message_type: 1 });
    expect((await settledWebhooks()).map((event) => event.event)).toEqual(['message_updated']);
  });

  it('marks a message failed when the inbox webhook_url refuses it', async () => {
    const receiver = createServer((_request, response) => {
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const conversationId = await createConversation({ status: 'pending' });
      fake.setInbox({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
      await settledWebhooks();
      await call('POST', api(`/conversations/${conversationId}/messages`), {
        token: fake.tokens.agent,
        body: { content: 'Hello from Anna' },
      });
      const events = await settledWebhooks();
      expect(eventNames(events.filter((event) => String(event.event).startsWith('message_')))).toEqual([
        'message_created',
        'message_updated',
      ]);
      const failed = fake
        .conversation(conversationId)
        ?.messages.find((message) => message.content === 'Hello from Anna');
      expect(failed?.status).toBe('failed');
      expect(failed?.contentAttributes.external_error).toBe('500 Internal Server Error');
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

describe('conversations (conversations_controller.rb, conversation.rb, assignment_handler.rb)', () => {
  it('clears the team and answers null for an unknown team id', async () => {
    const conversationId = await createConversation({ status: 'pending', team_id: 2 });
    await settledWebhooks();
    const answer = await call('POST', api(`/conversations/${conversationId}/assignments`), {
      token: admin(),
      body: { team_id: 9999 },
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('null');
    expect(fake.conversation(conversationId)?.teamId).toBeNull();
    const updated = (await settledWebhooks()).find((event) => event.event === 'conversation_updated');
    expect(updated).toMatchObject({
      event: 'conversation_updated',
      changed_attributes: expect.arrayContaining([{ team_id: { previous_value: 2, current_value: null } }]),
    });
  });

  it('answers the raw team record for a known team and drops an assignee outside it', async () => {
    const conversationId = await createConversation({ status: 'pending', assignee_id: 1 });
    const answer = await call('POST', api(`/conversations/${conversationId}/assignments`), {
      token: admin(),
      body: { team_id: 3 },
    });
    expect(answer.json()).toEqual({
      id: 3,
      name: 'orders',
      description: expect.any(String),
      allow_auto_assign: true,
      account_id: 1,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    // Admin is not in Orders, and Omar (its only member) is offline, so nobody is assigned.
    expect(fake.conversation(conversationId)).toMatchObject({ teamId: 3, assigneeId: null });
  });

  it('processes only the assignee when assignee_id and team_id come together', async () => {
    const conversationId = await createConversation({ status: 'pending' });
    const answer = await call('POST', api(`/conversations/${conversationId}/assignments`), {
      token: admin(),
      body: { assignee_id: 7, team_id: 2 },
    });
    expect(answer.json()).toMatchObject({ id: 7, name: 'Anna', role: 'agent' });
    expect(fake.conversation(conversationId)).toMatchObject({ assigneeId: 7, teamId: null });
  });

  it('self-assigns the agent whose token opens the conversation, overwriting the assignee', async () => {
    const conversationId = await createConversation({ status: 'pending', assignee_id: 1 });
    await call('POST', api(`/conversations/${conversationId}/toggle_status`), {
      token: fake.tokens.agent,
      body: { status: 'open' },
    });
    expect(fake.conversation(conversationId)).toMatchObject({ status: 'open', assigneeId: 7 });
  });

  it('does not self-assign for a bot token, and records the bot handoff notifications', async () => {
    fake.setInbox({ enableAutoAssignment: false });
    const conversationId = await createConversation({ status: 'pending' });
    expect(fake.notifications()).toEqual([]);
    const answer = await call('POST', api(`/conversations/${conversationId}/toggle_status`), {
      token: fake.tokens.bot,
      body: { status: 'open' },
    });
    // `bot_handoff!` never sets `@status`: the view renders `success: null`.
    expect(answer.json()).toEqual({
      meta: {},
      payload: {
        success: null,
        conversation_id: conversationId,
        current_status: 'open',
        snoozed_until: null,
      },
    });
    expect(fake.conversation(conversationId)).toMatchObject({ status: 'open', assigneeId: null });
    expect(fake.notifications()).toEqual([
      { userId: 1, conversationId, kind: 'bot_handoff' },
      { userId: 7, conversationId, kind: 'bot_handoff' },
      { userId: 8, conversationId, kind: 'bot_handoff' },
    ]);
  });

  it('auto-assigns an online team member on open, never an offline one', async () => {
    const billing = await createConversation({ team_id: 2 });
    expect(fake.conversation(billing)?.assigneeId).toBe(7);
    const orders = await createConversation({ team_id: 3 });
    expect(fake.conversation(orders)?.assigneeId).toBeNull();
    const pending = await createConversation({ status: 'pending' });
    expect(fake.conversation(pending)?.assigneeId).toBeNull();
  });

  it('returns the resolved conversation again under lock_to_single_conversation', async () => {
    fake.setInbox({ lockToSingleConversation: true });
    const contact = await createContact({ identifier: 'user-lock' });
    const open = (sourceId: string) =>
      call('POST', api('/conversations'), {
        token: admin(),
        body: { inbox_id: 3, contact_id: contact.id, source_id: sourceId },
      });
    const first = (await open(contact.sourceId)).json() as { id: number };
    await call('POST', api(`/conversations/${first.id}/toggle_status`), {
      token: admin(),
      body: { status: 'resolved' },
    });
    const second = (await open(contact.sourceId)).json() as { id: number; status: string };
    expect(second).toMatchObject({ id: first.id, status: 'resolved' });
  });

  it('sends conversation_status_changed and conversation_updated with changed_attributes for one status change', async () => {
    const conversationId = await createConversation();
    await settledWebhooks();
    await call('POST', api(`/conversations/${conversationId}/toggle_status`), {
      token: admin(),
      body: { status: 'resolved' },
    });
    const events = await settledWebhooks();
    expect(eventNames(events)).toEqual(['conversation_status_changed', 'conversation_updated']);
    const statusChanged = events.find((event) => event.event === 'conversation_status_changed');
    const updated = events.find((event) => event.event === 'conversation_updated');
    expect(statusChanged).toMatchObject({ id: conversationId, status: 'resolved', changed_attributes: null });
    expect(updated?.changed_attributes).toEqual([
      { status: { previous_value: 'open', current_value: 'resolved' } },
      { updated_at: { previous_value: expect.any(String), current_value: expect.any(String) } },
    ]);
    // The change also leaves an activity line (message_type 2) that no webhook announces.
    const listed = await call('GET', api(`/conversations/${conversationId}/messages`), { token: admin() });
    expect(
      (listed.json() as { payload: Array<{ message_type: number; content: string }> }).payload.at(-1),
    ).toMatchObject({
      message_type: 2,
      content: 'Conversation was marked resolved by Admin',
    });
  });

  it('answers the conversation partial with display ids and the contact as meta.sender', async () => {
    const conversationId = await createConversation({
      status: 'pending',
      custom_attributes: { handoff_id: 'h-1' },
    });
    const answer = await call('GET', api(`/conversations/${conversationId}`), { token: fake.tokens.bot });
    expect(answer.json()).toMatchObject({
      id: conversationId,
      inbox_id: 3,
      status: 'pending',
      custom_attributes: { handoff_id: 'h-1' },
      messages: [],
      meta: { sender: { name: 'Jane' }, channel: 'Channel::Api' },
    });
    expect(answer.json()).not.toHaveProperty('meta.assignee');
  });
});

describe('small facts of Chatwoot 4.15.1 the fake keeps', () => {
  it('checks a create in the before-action order, clears labels sent as a string, notifies unless pending', async () => {
    // inbox 404 before the agent's inbox check and the contact 404 (`conversations_controller.rb`).
    const unknownInbox = await call('POST', api('/conversations'), {
      token: fake.tokens.offlineAgent,
      body: { inbox_id: 99, contact_id: 12_345, status: 'no-such-status' },
    });
    expect(unknownInbox.status).toBe(404);
    const conversationId = await createConversation({ status: 'resolved' });
    expect(
      fake.notifications().filter((notification) => notification.conversationId === conversationId),
    ).toHaveLength(3);
    await call('POST', api(`/conversations/${conversationId}/labels`), {
      token: admin(),
      body: { labels: ['vip'] },
    });
    await call('POST', api(`/conversations/${conversationId}/labels`), {
      token: admin(),
      body: { labels: 'vip' },
    });
    expect(fake.conversation(conversationId)?.labels).toEqual([]);
    const badCursor = await call('GET', api(`/conversations/${conversationId}/messages?after=abc`), {
      token: admin(),
    });
    expect(badCursor.status).toBe(200);
  });
});

describe('webhooks as Chatwoot sends them (EventDispatcherJob, WebhookJob on a pool of workers)', () => {
  it('delivers in no particular order by default, and in order when asked', async () => {
    const orders = async (settings: FakeChatwootSettings) => {
      await restart(settings);
      const conversationId = await createConversation({ status: 'pending' });
      await settledWebhooks();
      for (let index = 1; index <= 12; index += 1) {
        await call('POST', api(`/conversations/${conversationId}/messages`), {
          token: admin(),
          body: { content: `m${index}`, message_type: 'incoming' },
        });
      }
      return (await settledWebhooks())
        .filter((event) => event.event === 'message_created')
        .map((event) => event.content);
    };
    const inOrder = Array.from({ length: 12 }, (_, index) => `m${index + 1}`);
    const unordered = await orders({ webhookSeed: 7 });
    expect([...unordered].sort()).toEqual([...inOrder].sort());
    expect(unordered).not.toEqual(inOrder);
    expect(await orders({ webhookOrder: 'ordered' })).toEqual(inOrder);
  });

  it('builds an inbox payload when its job runs: a message webhook shows the status of that moment', async () => {
    // Jobs that wait longer in the queue than the next request takes.
    await restart({ webhookOrder: 'unordered', webhookDelayMs: [80, 90] });
    const conversationId = await createConversation();
    await settledWebhooks();
    await call('POST', api(`/conversations/${conversationId}/messages`), {
      token: fake.tokens.agent,
      body: { content: 'Bye' },
    });
    await call('POST', api(`/conversations/${conversationId}/toggle_status`), {
      token: admin(),
      body: { status: 'resolved' },
    });
    const message = (await settledWebhooks()).find((event) => event.event === 'message_created');
    expect((message?.conversation as { status?: string } | undefined)?.status).toBe('resolved');
  });

  it('sends only conversation_updated (the assignee) when auto-assignment picks an agent inside the save to open (chatwoot #9277)', async () => {
    const conversationId = await createConversation({ status: 'pending' });
    await settledWebhooks();
    await call('POST', api(`/conversations/${conversationId}/toggle_status`), {
      token: admin(),
      body: { status: 'open' },
    });
    const events = await settledWebhooks();
    expect(eventNames(events)).toEqual(['conversation_updated']);
    expect(events[0]?.changed_attributes).toEqual([
      { assignee_id: { previous_value: null, current_value: expect.any(Number) } },
      { updated_at: { previous_value: expect.any(String), current_value: expect.any(String) } },
    ]);
    expect(events[0]?.status).toBe('open');
    const lines = (fake.conversation(conversationId)?.messages ?? []).map((message) => message.content);
    // Named after the token owner (`Current.user`): "self-assigned" when round-robin picked them.
    expect(
      lines.some((line) =>
        /^(Assigned to Anna by Admin|Admin self-assigned this conversation)$/.test(line ?? ''),
      ),
    ).toBe(true);
    expect(lines.some((line) => line?.startsWith('Conversation was reopened'))).toBe(false);
  });

  it('refuses private webhook targets from 4.14.0 unless the server allows them', async () => {
    const receiver = createServer((_request, response) => response.writeHead(200).end());
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      await restart({ allowPrivateNetwork: false });
      const conversationId = await createConversation({ status: 'pending' });
      fake.setInbox({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
      await call('POST', api(`/conversations/${conversationId}/messages`), {
        token: fake.tokens.agent,
        body: { content: 'Hello' },
      });
      await settledWebhooks();
      const sent = fake.conversation(conversationId)?.messages.find((message) => message.content === 'Hello');
      expect(sent?.status).toBe('failed');
      expect(sent?.contentAttributes.external_error).toBe("Hostname '127.0.0.1' has no public ip addresses");
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

describe('inboxes and team members', () => {
  it('shows the inbox with its working hours to members and admins, never to bots', async () => {
    fake.setInbox({ workingHoursEnabled: true, timezone: 'Europe/Berlin' });
    const shown = await call('GET', api('/inboxes/3'), { token: fake.tokens.agent });
    expect(shown.status).toBe(200);
    expect(shown.json()).toMatchObject({
      id: 3,
      working_hours_enabled: true,
      timezone: 'Europe/Berlin',
      working_hours: expect.arrayContaining([
        {
          day_of_week: 1,
          closed_all_day: false,
          open_hour: 9,
          open_minutes: 0,
          close_hour: 17,
          close_minutes: 0,
          open_all_day: false,
        },
        {
          day_of_week: 0,
          closed_all_day: true,
          open_hour: null,
          open_minutes: null,
          close_hour: null,
          close_minutes: null,
          open_all_day: false,
        },
      ]),
    });
    expect((await call('GET', api('/inboxes/3'), { token: fake.tokens.bot })).status).toBe(401);
    expect((await call('GET', api('/inboxes/99'), { token: admin() })).status).toBe(404);
  });

  it("lists a team's members with their effective availability", async () => {
    fake.setAvailability(7, 'busy');
    const members = await call('GET', api('/teams/1/team_members'), { token: fake.tokens.agent });
    expect(members.json()).toEqual([
      expect.objectContaining({ id: 1, availability_status: 'online' }),
      expect.objectContaining({ id: 7, availability_status: 'busy' }),
    ]);
    expect((await call('GET', api('/teams/1/team_members'), { token: fake.tokens.bot })).status).toBe(401);
  });
});

describe('webhook delivery (lib/webhooks/trigger.rb)', () => {
  it('signs each delivery as sha256=HMAC(secret, timestamp + "." + body)', async () => {
    await createConversation({ status: 'pending' });
    await fake.idle();
    const [delivery] = webhooks;
    expect(delivery).toBeDefined();
    const timestamp = delivery?.headers['x-chatwoot-timestamp'] ?? '';
    const expected = createHmac('sha256', fake.inboxSecret)
      .update(`${timestamp}.${delivery?.body}`)
      .digest('hex');
    expect(delivery?.headers['x-chatwoot-signature']).toBe(`sha256=${expected}`);
    expect(delivery?.headers['x-chatwoot-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({ event: 'conversation_created' });
  });

  it('sends no signature when signing is off, like Chatwoot before inbox signing', async () => {
    await restart({ signWebhooks: false });
    await createConversation({ status: 'pending' });
    await fake.idle();
    expect(webhooks[0]?.headers).not.toHaveProperty('x-chatwoot-signature');
    expect(webhooks[0]?.headers).not.toHaveProperty('x-chatwoot-timestamp');
    expect(webhooks[0]?.headers).toHaveProperty('x-chatwoot-delivery');
  });

  it('POSTs every delivery to the inbox webhook_url', async () => {
    const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
    const receiver = createServer((incoming, response) => {
      let body = '';
      incoming.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      incoming.on('end', () => {
        received.push({ headers: incoming.headers, body });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      fake.setInbox({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
      await createConversation({ status: 'pending' });
      await fake.idle();
      expect(received.map((delivery) => JSON.parse(delivery.body).event)).toEqual(['conversation_created']);
      expect(received[0]?.headers['x-chatwoot-signature']).toBe(webhooks[0]?.headers['x-chatwoot-signature']);
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

describe('rate limit and faults', () => {
  it('throttles with a bare 429 and no Retry-After', async () => {
    await restart({ rateLimitPerMinute: 2 });
    expect((await call('GET', api('/teams'), { token: admin() })).status).toBe(200);
    expect((await call('GET', api('/teams'), { token: admin() })).status).toBe(200);
    const throttled = await call('GET', api('/teams'), { token: admin() });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['content-type']).toBe('text/plain');
    expect(throttled.headers).not.toHaveProperty('retry-after');
    expect(throttled.text).toBe('Retry later\n');
    const harness = await call('GET', api('/teams'), {
      token: admin(),
      headers: { 'x-fake-chatwoot-harness': '1' },
    });
    expect(harness.status).toBe(200);
  });

  it('answers the status faults with Chatwoot’s bodies', async () => {
    fake.injectFault({ kind: 'unauthorized' });
    fake.injectFault({ kind: 'rate_limited', retryAfterMs: 3_000 });
    fake.injectFault({ kind: 'server_error' });
    fake.injectFault({ kind: 'malformed_body' });
    const answers: Answer[] = [];
    for (let count = 0; count < 5; count += 1)
      answers.push(await call('GET', api('/teams'), { token: admin() }));
    expect(answers.map((answer) => answer.status)).toEqual([401, 429, 500, 200, 200]);
    expect(answers[0]?.json()).toEqual({ error: 'Invalid Access Token' });
    expect(answers[1]?.text).toBe('Retry later\n');
    expect(answers[1]?.headers).not.toHaveProperty('retry-after');
    expect(answers[2]?.json()).toEqual({ status: 500, error: 'Internal Server Error' });
    expect(answers[3]?.headers['content-type']).toMatch(/^application\/json/);
    expect(() => answers[3]?.json()).toThrow(SyntaxError);
    expect(answers[4]?.json()).toHaveLength(3);
  });

  it('resets the connection', async () => {
    fake.injectFault({ kind: 'connection_reset' });
    await expect(call('GET', api('/teams'), { token: admin() })).rejects.toThrow();
    expect((await call('GET', api('/teams'), { token: admin() })).status).toBe(200);
  });

  it('never answers under a timeout fault, and close() still returns', async () => {
    fake.injectFault({ kind: 'timeout' }, 2);
    await expect(
      call('GET', api('/teams'), { token: admin(), signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    const hanging = call('GET', api('/teams'), { token: admin() }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fake.close();
    expect(await hanging).toBeInstanceOf(Error);
    fake = await startFakeChatwoot();
  });

  it('never faults harness requests', async () => {
    fake.injectFault({ kind: 'server_error' });
    const harness = await call('GET', api('/teams'), {
      token: admin(),
      headers: { 'x-fake-chatwoot-harness': '1' },
    });
    expect(harness.status).toBe(200);
    expect((await call('GET', api('/teams'), { token: admin() })).status).toBe(500);
  });
});

describe('fake Chatwoot: random faults', () => {
  it('fails about the share asked for, reproducibly, and processes slow and lost-answer requests', async () => {
    const run = async () => {
      const fake = await startFakeChatwoot();
      fake.setRandomFaults({
        probability: 0.3,
        kinds: ['server_error', 'lost_answer', 'slow'],
        seed: 7,
        slowMs: [1, 5],
      });
      const statuses: string[] = [];
      for (let index = 0; index < 200; index += 1) {
        try {
          const response = await request(`${fake.baseUrl}/api/v1/accounts/1/contacts`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', api_access_token: fake.tokens.admin },
            body: JSON.stringify({ identifier: `user-${index}` }),
          });
          await response.body.dump();
          statuses.push(String(response.statusCode));
        } catch {
          statuses.push('reset');
        }
      }
      const injected = fake.faultsInjected();
      const contacts = fake.contacts().length;
      await fake.close();
      return { statuses, injected, contacts };
    };
    const first = await run();
    const second = await run();
    expect(second.statuses).toEqual(first.statuses);
    const failed = first.statuses.filter((status) => status !== '200').length;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(70);
    // Lost answers were processed: every request but the 500s created its contact.
    expect(first.contacts).toBe(200 - (first.injected.server_error ?? 0));
    expect(first.statuses.filter((status) => status === 'reset').length).toBe(first.injected.lost_answer);
  });
});

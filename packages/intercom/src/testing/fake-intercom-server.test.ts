import { createHmac } from 'node:crypto';
import type { WebhookRequest } from '@handoff/core';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeIntercom, type FakeIntercomSettings, startFakeIntercom } from './fake-intercom-server.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

interface CallOptions {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

let fake: FakeIntercom;
let webhooks: WebhookRequest[];

function watch() {
  webhooks = [];
  fake.subscribe((delivery) => {
    webhooks.push(delivery);
  });
}

async function restart(settings: FakeIntercomSettings = {}) {
  await fake.close();
  fake = await startFakeIntercom(settings);
  watch();
}

beforeEach(async () => {
  fake = await startFakeIntercom();
  watch();
});

afterEach(async () => {
  await fake.close();
});

async function call(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', 'intercom-version': '2.14' };
  const token = options.token === undefined ? fake.accessToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await request(`${fake.baseUrl}${path}`, {
    method,
    headers: { ...headers, ...options.headers },
    ...(body === undefined ? {} : { body }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

const errorBody = (code: string, message: string) => ({
  type: 'error.list',
  request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
  errors: [{ code, message }],
});

async function createContact(fields: Record<string, unknown> = {}): Promise<string> {
  const answer = await call('POST', '/contacts', {
    body: { role: 'user', external_id: `user-${Math.random().toString(36).slice(2)}`, ...fields },
  });
  expect(answer.status).toBe(200);
  return answer.json().id as string;
}

async function createConversation(
  text = 'Hello there',
): Promise<{ contactId: string; conversationId: string }> {
  const contactId = await createContact({ name: 'Jane', email: `jane-${Math.random()}@example.test` });
  const answer = await call('POST', '/conversations', {
    body: { from: { type: 'user', id: contactId }, body: text },
  });
  expect(answer.status).toBe(200);
  return { contactId, conversationId: answer.json().conversation_id as string };
}

const botReply = (conversationId: string, fields: Record<string, unknown> = {}) =>
  call('POST', `/conversations/${conversationId}/reply`, {
    body: { message_type: 'note', type: 'admin', admin_id: fake.botAdminId, body: 'Bot turn', ...fields },
  });

const manage = (conversationId: string, fields: Record<string, unknown>) =>
  call('POST', `/conversations/${conversationId}/parts`, { body: { admin_id: fake.botAdminId, ...fields } });

type Part = Record<string, unknown> & { id: string; part_type: string; body: string | null };

const partsOf = (conversation: Record<string, unknown>): Part[] =>
  (conversation.conversation_parts as { conversation_parts: Part[] }).conversation_parts;

async function settledWebhooks(): Promise<Array<Record<string, unknown>>> {
  await fake.idle();
  return webhooks.splice(0).map((delivery) => JSON.parse(delivery.body) as Record<string, unknown>);
}

describe('authentication and errors (facts §0, §8)', () => {
  it('answers 401 error.list "Access Token Invalid" without a valid bearer token, on every route', async () => {
    for (const token of [null, 'wrong-token']) {
      const answer = await call('GET', '/teams', { token });
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual(errorBody('unauthorized', 'Access Token Invalid'));
    }
    expect((await call('GET', '/no-such-route', { token: null })).status).toBe(401);
    const basic = await call('GET', '/teams', { token: null, headers: { authorization: 'Basic abc' } });
    expect(basic.status).toBe(401);
  });

  it('answers 404 not_found for unknown routes and 400 for a body that is not JSON', async () => {
    const unknown = await call('GET', '/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual(errorBody('not_found', 'Resource Not Found'));
    // A path segment that is not valid percent-encoding names nothing: 404, never a 500.
    const badEscape = await call('GET', '/conversations/%E0%A4%A');
    expect(badEscape.status).toBe(404);
    expect(badEscape.json()).toEqual(errorBody('not_found', 'Resource Not Found'));
    const broken = await call('POST', '/contacts', { rawBody: '{"role":' });
    expect(broken.status).toBe(400);
    expect((broken.json().errors as unknown[])[0]).toMatchObject({ code: 'bad_request' });
  });

  it('records every non-harness request with its auth, headers and parsed body', async () => {
    await call('GET', '/teams');
    await call('GET', '/teams', { token: 'bad' });
    await call('POST', '/contacts/search', { token: null, body: { query: {} } });
    await call('GET', '/teams', { headers: { 'x-fake-intercom-harness': '1' } });
    expect(fake.requests.map((recorded) => [recorded.method, recorded.path, recorded.auth])).toEqual([
      ['GET', '/teams', 'user'],
      ['GET', '/teams', 'invalid'],
      ['POST', '/contacts/search', 'none'],
    ]);
    const [first, , third] = fake.requests;
    expect(first?.headers['intercom-version']).toBe('2.14');
    expect(first?.body).toBeUndefined();
    expect(first?.receivedAt).toBeInstanceOf(Date);
    expect(third).toMatchObject({ contentType: 'application/json', body: { query: {} } });
  });
  it('records each answer it sends (status, content type, parsed body), and the fault that answered instead', async () => {
    await call('GET', '/teams');
    await call('GET', '/teams', { token: 'bad' });
    fake.injectFault({ kind: 'server_error' });
    await call('GET', '/teams');
    fake.injectFault({ kind: 'malformed_body' });
    await call('GET', '/teams');
    fake.injectFault({ kind: 'connection_reset' });
    await expect(call('GET', '/teams')).rejects.toThrow();
    const [teams, refused, failed, malformed, reset] = fake.requests;
    expect(teams?.response).toEqual({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: expect.objectContaining({ type: 'team.list', teams: expect.any(Array) }),
    });
    expect(teams?.fault).toBeUndefined();
    expect(refused?.response).toMatchObject({
      status: 401,
      body: errorBody('unauthorized', 'Access Token Invalid'),
    });
    expect(failed).toMatchObject({
      fault: 'server_error',
      response: { status: 500, body: { type: 'error.list' } },
    });
    // A body that is not JSON is kept as its text.
    expect(malformed).toMatchObject({ fault: 'malformed_body', response: { status: 200 } });
    expect(typeof malformed?.response?.body).toBe('string');
    // Nothing was answered to a reset.
    expect(reset).toMatchObject({ fault: 'connection_reset' });
    expect(reset?.response).toBeUndefined();
  });
});

describe('contacts (facts §1)', () => {
  it('creates a contact (200, the contact model) and refuses a duplicate with 409 conflict naming its id', async () => {
    const created = await call('POST', '/contacts', {
      body: {
        role: 'user',
        external_id: 'ext-123',
        email: 'Ann@Example.test',
        name: 'Ann',
        custom_attributes: { plan: 'pro' },
      },
    });
    expect(created.status).toBe(200);
    const contact = created.json();
    expect(contact).toMatchObject({
      type: 'contact',
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      workspace_id: expect.any(String),
      external_id: 'ext-123',
      role: 'user',
      email: 'Ann@Example.test',
      name: 'Ann',
      phone: null,
      custom_attributes: { plan: 'pro' },
      created_at: expect.any(Number),
      location: { type: 'location' },
    });
    expect(String(contact.created_at)).toMatch(/^\d{10}$/);

    const sameExternalId = await call('POST', '/contacts', {
      body: { role: 'user', external_id: 'ext-123' },
    });
    expect(sameExternalId.status).toBe(409);
    expect(sameExternalId.json()).toEqual(
      errorBody('conflict', `A contact matching those details already exists with id=${contact.id}`),
    );
    expect(/id=(\w+)/.exec(sameExternalId.text)?.[1]).toBe(contact.id);

    const sameEmail = await call('POST', '/contacts', { body: { role: 'user', email: 'ann@example.test' } });
    expect(sameEmail.status).toBe(409);
    // Leads are not de-duplicated by email.
    expect(
      (await call('POST', '/contacts', { body: { role: 'lead', email: 'ann@example.test' } })).status,
    ).toBe(200);
  });

  it('validates the create body with parameter_invalid', async () => {
    const empty = await call('POST', '/contacts', { body: { name: 'Nobody' } });
    expect(empty.status).toBe(400);
    expect((empty.json().errors as unknown[])[0]).toMatchObject({ code: 'parameter_invalid' });
    expect((await call('POST', '/contacts', { body: { role: 'admin', external_id: 'x' } })).status).toBe(400);
    expect((await call('POST', '/contacts', { body: { role: 'user' } })).status).toBe(400);
    expect((await call('POST', '/contacts', { body: { external_id: 42 } })).status).toBe(400);
    expect((await call('POST', '/contacts', { body: { role: 'lead' } })).status).toBe(200);
  });

  it('finds a user by external id at once, but search only after the lag', async () => {
    let clock = new Date('2025-03-01T10:00:00Z');
    await restart({ searchLagMs: 60_000, now: () => clock });
    const id = await createContact({ external_id: 'ext-lag' });
    const found = await call('GET', '/contacts/find_by_external_id/ext-lag');
    expect(found.status).toBe(200);
    expect(found.json().id).toBe(id);
    const search = () =>
      call('POST', '/contacts/search', {
        body: {
          query: { field: 'external_id', operator: '=', value: 'ext-lag' },
          pagination: { per_page: 1 },
        },
      });
    expect((await search()).json()).toMatchObject({ type: 'list', data: [], total_count: 0 });
    // Search-then-create races into the 409 while the index lags.
    expect((await call('POST', '/contacts', { body: { role: 'user', external_id: 'ext-lag' } })).status).toBe(
      409,
    );
    clock = new Date(clock.getTime() + 60_000);
    const later = (await search()).json();
    expect(later).toMatchObject({
      total_count: 1,
      pages: { type: 'pages', page: 1, per_page: 1, total_pages: 1 },
    });
    expect((later.data as Array<{ id: string }>).map((contact) => contact.id)).toEqual([id]);
  });

  it('does not find leads or unknown ids by external id', async () => {
    await createContact({ role: 'lead', external_id: 'lead-1' });
    for (const externalId of ['lead-1', 'nobody']) {
      const answer = await call('GET', `/contacts/find_by_external_id/${externalId}`);
      expect(answer.status).toBe(404);
      expect(answer.json()).toEqual(errorBody('not_found', 'User Not Found'));
    }
  });

  it('searches with AND/OR groups and cursor pages', async () => {
    const a = await createContact({ external_id: 'a', email: 'a@example.test' });
    const b = await createContact({ external_id: 'b', email: 'b@example.test' });
    await createContact({ external_id: 'c', email: 'c@other.test' });
    const search = async (body: unknown) => {
      const answer = await call('POST', '/contacts/search', { body });
      expect(answer.status).toBe(200);
      return answer.json() as {
        data: Array<{ id: string }>;
        total_count: number;
        pages: Record<string, unknown>;
      };
    };
    const either = await search({
      query: {
        operator: 'OR',
        value: [
          { field: 'external_id', operator: '=', value: 'a' },
          { field: 'email', operator: '=', value: 'B@example.test' },
        ],
      },
    });
    expect(either.data.map((contact) => contact.id)).toEqual([a, b]);
    const both = await search({
      query: {
        operator: 'AND',
        value: [
          { field: 'email', operator: '$', value: '@example.test' },
          { field: 'external_id', operator: '!=', value: 'a' },
        ],
      },
    });
    expect(both.data.map((contact) => contact.id)).toEqual([b]);
    const firstPage = await search({
      query: { field: 'role', operator: '=', value: 'user' },
      pagination: { per_page: 2 },
    });
    expect(firstPage.total_count).toBe(3);
    expect(firstPage.pages).toMatchObject({ page: 1, per_page: 2, total_pages: 2, next: { per_page: 2 } });
    const cursor = (firstPage.pages.next as { starting_after: string }).starting_after;
    const secondPage = await search({
      query: { field: 'role', operator: '=', value: 'user' },
      pagination: { per_page: 2, starting_after: cursor },
    });
    expect(secondPage.data).toHaveLength(1);
    expect(secondPage.pages.next).toBeUndefined();
    const refused = await call('POST', '/contacts/search', {
      body: { query: { field: 'created_at', operator: '>=', value: 1 } },
    });
    expect(refused.status).toBe(400);
  });

  it('updates a contact (PUT), merging custom attributes and refusing a clash', async () => {
    const id = await createContact({ external_id: 'u-1', custom_attributes: { plan: 'pro' } });
    await createContact({ external_id: 'u-2' });
    const updated = await call('PUT', `/contacts/${id}`, {
      body: { name: 'Jo', custom_attributes: { seats: 3 } },
    });
    expect(updated.json()).toMatchObject({ name: 'Jo', custom_attributes: { plan: 'pro', seats: 3 } });
    expect((await call('PUT', `/contacts/${id}`, { body: { external_id: 'u-2' } })).status).toBe(409);
    expect((await call('GET', `/contacts/${id}`)).json()).toMatchObject({ id, external_id: 'u-1' });
    expect((await call('GET', '/contacts/000000000000000000000000')).status).toBe(404);
  });
});

describe('archived and deleted contacts (help centre "How to archive a user or lead"; recorded answers)', () => {
  const search = async (externalId: string) =>
    (
      await call('POST', '/contacts/search', {
        body: { query: { field: 'external_id', operator: '=', value: externalId } },
      })
    ).json() as { data: Array<{ id: string }>; total_count: number };

  it('archives: the API no longer shows the contact, a create answers the archived 409, unarchive restores it', async () => {
    const id = await createContact({ external_id: 'arch-1', email: 'arch@example.test', name: 'Ann' });
    const archived = await call('POST', `/contacts/${id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.json()).toEqual({ type: 'contact', id, external_id: 'arch-1', archived: true });
    expect((await call('GET', `/contacts/${id}`)).json()).toEqual(errorBody('not_found', 'User Not Found'));
    expect((await call('GET', '/contacts/find_by_external_id/arch-1')).status).toBe(404);
    expect((await call('PUT', `/contacts/${id}`, { body: { name: 'Jo' } })).status).toBe(404);
    expect((await search('arch-1')).total_count).toBe(0);
    expect(((await call('GET', '/contacts')).json().data as Array<{ id: string }>).map((c) => c.id)).toEqual(
      [],
    );
    for (const details of [{ external_id: 'arch-1' }, { email: 'ARCH@example.test' }]) {
      const again = await call('POST', '/contacts', { body: { role: 'user', ...details } });
      expect(again.status).toBe(409);
      expect(again.json()).toEqual(
        errorBody('conflict', `An archived contact matching those details already exists with id=${id}`),
      );
    }
    // Leads are not de-duplicated by email: "a new lead will be created".
    expect(
      (await call('POST', '/contacts', { body: { role: 'lead', email: 'arch@example.test' } })).status,
    ).toBe(200);
    const opened = await call('POST', '/conversations', { body: { from: { type: 'user', id }, body: 'Hi' } });
    expect(opened.json()).toEqual(errorBody('not_found', 'User Not Found'));
    // Archiving again changes nothing.
    expect((await call('POST', `/contacts/${id}/archive`)).json()).toMatchObject({ archived: true });

    const restored = await call('POST', `/contacts/${id}/unarchive`);
    expect(restored.status).toBe(200);
    expect(restored.json()).toEqual({ type: 'contact', id, external_id: 'arch-1', archived: false });
    expect((await call('GET', `/contacts/${id}`)).json()).toMatchObject({ id, name: 'Ann' });
    expect((await search('arch-1')).data.map((contact) => contact.id)).toEqual([id]);
    expect(
      (await call('POST', '/conversations', { body: { from: { type: 'user', id }, body: 'Hi' } })).status,
    ).toBe(200);
    expect(fake.contacts().filter((contact) => contact.externalId === 'arch-1')).toHaveLength(1);
  });

  it('deletes: the contact and its conversations go, its details stay taken and it cannot be unarchived', async () => {
    const { contactId, conversationId } = await createConversation();
    const externalId = fake.contacts().find((contact) => contact.id === contactId)?.externalId;
    const deleted = await call('DELETE', `/contacts/${contactId}`);
    expect(deleted.json()).toEqual({
      type: 'contact',
      id: contactId,
      external_id: externalId,
      deleted: true,
    });
    expect((await call('GET', `/contacts/${contactId}`)).status).toBe(404);
    expect((await call('GET', `/conversations/${conversationId}`)).status).toBe(404);
    const again = await call('POST', '/contacts', { body: { role: 'user', external_id: externalId } });
    expect(again.json()).toEqual(
      errorBody('conflict', `An archived contact matching those details already exists with id=${contactId}`),
    );
    const unarchive = await call('POST', `/contacts/${contactId}/unarchive`);
    expect(unarchive.status).toBe(400);
    expect(unarchive.json()).toEqual(
      errorBody('bad_request', 'User has been marked for permanent deletion and is not restorable.'),
    );
    for (const path of [`/contacts/${contactId}/archive`, '/contacts/000000000000000000000000/unarchive']) {
      expect((await call('POST', path)).json()).toEqual(errorBody('not_found', 'Contact Not Found'));
    }
    expect((await call('DELETE', `/contacts/${contactId}`)).status).toBe(404);
  });

  it('lists contacts in cursor pages, without archived ones', async () => {
    const ids = [await createContact(), await createContact(), await createContact()];
    fake.archiveContact(ids[1] ?? '');
    const first = (await call('GET', '/contacts?per_page=1')).json() as {
      type: string;
      data: Array<{ id: string }>;
      total_count: number;
      pages: { next?: { starting_after: string } };
    };
    expect(first).toMatchObject({ type: 'list', total_count: 2, data: [{ id: ids[0] }] });
    const second = (
      await call('GET', `/contacts?per_page=1&starting_after=${first.pages.next?.starting_after ?? ''}`)
    ).json();
    expect(second).toMatchObject({ data: [{ id: ids[2] }], pages: { page: 2, total_pages: 2 } });
  });
});

describe('conversations (facts §2, §3, §9)', () => {
  it('POST /conversations answers the Message model; the first message lives in source', async () => {
    const contactId = await createContact({ name: 'Jane' });
    const answer = await call('POST', '/conversations', {
      body: { from: { type: 'user', id: contactId }, body: 'Hello <there> & you' },
    });
    expect(answer.status).toBe(200);
    const message = answer.json();
    expect(message).toEqual({
      type: 'user_message',
      id: expect.stringMatching(/^\d+$/),
      created_at: expect.any(Number),
      body: 'Hello <there> & you',
      message_type: 'inapp',
      conversation_id: expect.stringMatching(/^\d+$/),
    });
    expect(message.conversation_id).not.toBe(message.id);
    const conversation = (await call('GET', `/conversations/${message.conversation_id}`)).json();
    expect(conversation).toMatchObject({
      type: 'conversation',
      id: message.conversation_id,
      state: 'open',
      open: true,
      admin_assignee_id: null,
      team_assignee_id: null,
      source: {
        type: 'conversation',
        id: message.id,
        delivered_as: 'customer_initiated',
        body: '<p>Hello &lt;there&gt; &amp; you</p>',
        author: { type: 'user', id: contactId, name: 'Jane' },
      },
      contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: contactId }] },
      conversation_parts: { type: 'conversation_part.list', conversation_parts: [], total_count: 0 },
    });
    const plain = (
      await call('GET', `/conversations/${message.conversation_id}?display_as=plaintext`)
    ).json();
    expect((plain.source as { body: string }).body).toBe('Hello <there> & you');
    const [created] = await settledWebhooks();
    expect(created).toMatchObject({
      topic: 'conversation.user.created',
      data: { item: { id: message.conversation_id, conversation_parts: { conversation_parts: [] } } },
    });
  });

  it('refuses an unknown contact with 404 "User Not Found" and a missing body with "Body is required"', async () => {
    const unknown = await call('POST', '/conversations', {
      body: { from: { type: 'user', id: '123456789012345678901234' }, body: 'Hello' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual(errorBody('not_found', 'User Not Found'));
    const contactId = await createContact();
    const noBody = await call('POST', '/conversations', { body: { from: { type: 'user', id: contactId } } });
    expect(noBody.status).toBe(400);
    expect(noBody.json()).toEqual(errorBody('parameter_invalid', 'Body is required'));
    const { conversationId } = await createConversation();
    const blank = await botReply(conversationId, { body: '  ' });
    expect(blank.json()).toEqual(errorBody('parameter_invalid', 'Body is required'));
    expect((await call('GET', '/conversations/999999')).json()).toEqual(
      errorBody('not_found', 'Resource Not Found'),
    );
  });

  it('answers a reply with the conversation holding only the new part', async () => {
    const { conversationId } = await createConversation();
    await botReply(conversationId, { body: 'First' });
    const answer = await botReply(conversationId, { message_type: 'comment', body: 'Second' });
    expect(answer.status).toBe(200);
    const conversation = answer.json();
    expect(conversation.conversation_parts).toMatchObject({ total_count: 1 });
    const [part] = partsOf(conversation);
    expect(part).toMatchObject({
      type: 'conversation_part',
      id: expect.stringMatching(/^\d+$/),
      part_type: 'comment',
      body: '<p>Second</p>',
      author: { type: 'admin', id: fake.botAdminId, name: 'Handoff bot' },
      app_package_code: 'handoff-test-app',
      attachments: [],
    });
    const full = (await call('GET', `/conversations/${conversationId}`)).json();
    expect(partsOf(full).map((item) => item.body)).toEqual(['<p>First</p>', '<p>Second</p>']);
  });

  it('takes a contact reply by intercom_user_id, user_id (external id) or email', async () => {
    const { contactId, conversationId } = await createConversation();
    const contact = fake.contacts().find((candidate) => candidate.id === contactId);
    const identities = [
      { intercom_user_id: contactId },
      { user_id: contact?.externalId },
      { email: contact?.email?.toUpperCase() },
    ];
    for (const identity of identities) {
      const answer = await call('POST', `/conversations/${conversationId}/reply`, {
        body: { message_type: 'comment', type: 'user', body: 'Me again', ...identity },
      });
      expect(answer.status).toBe(200);
      expect(partsOf(answer.json())[0]?.author).toMatchObject({ type: 'user', id: contactId });
    }
    const stranger = await createContact();
    const refused = await call('POST', `/conversations/${conversationId}/reply`, {
      body: { message_type: 'comment', type: 'user', body: 'Hi', intercom_user_id: stranger },
    });
    expect(refused.status).toBe(400);
  });

  it('re-opens a closed conversation on a user reply, with part_type open', async () => {
    const { contactId, conversationId } = await createConversation();
    const closed = await manage(conversationId, { message_type: 'close', type: 'admin', body: 'Bye' });
    expect(closed.json()).toMatchObject({ state: 'closed', open: false });
    expect(partsOf(closed.json())[0]).toMatchObject({ part_type: 'close', body: '<p>Bye</p>' });
    const reply = await call('POST', `/conversations/${conversationId}/reply`, {
      body: { message_type: 'comment', type: 'user', intercom_user_id: contactId, body: 'Thanks again :)' },
    });
    expect(reply.json()).toMatchObject({ state: 'open', open: true, waiting_since: expect.any(Number) });
    expect(partsOf(reply.json())[0]).toMatchObject({
      part_type: 'open',
      body: '<p>Thanks again :)</p>',
      author: { type: 'user', id: contactId },
    });
    expect(fake.conversation(conversationId)?.state).toBe('open');
  });

  it('returns at most the 500 most recent parts', async () => {
    const { conversationId } = await createConversation();
    for (let index = 1; index <= 502; index += 1) {
      await call('POST', `/conversations/${conversationId}/reply`, {
        headers: { 'x-fake-intercom-harness': '1' },
        body: { message_type: 'note', type: 'admin', admin_id: fake.botAdminId, body: `Note ${index}` },
      });
    }
    const conversation = (await call('GET', `/conversations/${conversationId}?display_as=plaintext`)).json();
    const parts = partsOf(conversation);
    expect(parts).toHaveLength(500);
    expect(parts[0]?.body).toBe('Note 3');
    expect(parts.at(-1)?.body).toBe('Note 502');
    expect(fake.conversation(conversationId)?.parts).toHaveLength(502);
  });

  it('keeps attachment_urls (at most 10) with the name and type it knows or guesses', async () => {
    const { conversationId } = await createConversation();
    fake.registerFile('https://files.example.test/x/label', {
      name: 'label.png',
      contentType: 'image/png',
      size: 2048,
    });
    const answer = await botReply(conversationId, {
      message_type: 'comment',
      attachment_urls: ['https://files.example.test/x/label', 'https://files.example.test/receipt.pdf'],
    });
    expect(partsOf(answer.json())[0]?.attachments).toEqual([
      expect.objectContaining({
        type: 'upload',
        name: 'label.png',
        content_type: 'image/png',
        filesize: 2048,
      }),
      expect.objectContaining({
        name: 'receipt.pdf',
        url: 'https://files.example.test/receipt.pdf',
        content_type: 'application/pdf',
      }),
    ]);
    const tooMany = await botReply(conversationId, {
      attachment_urls: Array.from({ length: 11 }, (_, index) => `https://files.example.test/${index}.png`),
    });
    expect(tooMany.status).toBe(400);
  });
});

describe('assignment, close, open, snooze (facts §5, §6)', () => {
  it('assigns to a team: integer team_assignee_id; an unknown team is 404 team_not_found', async () => {
    const { conversationId } = await createConversation();
    const teams = (await call('GET', '/teams')).json() as {
      type: string;
      teams: Array<Record<string, unknown>>;
    };
    expect(teams.type).toBe('team.list');
    const billing = teams.teams.find((team) => team.name === 'Billing');
    expect(billing).toMatchObject({
      type: 'team',
      id: expect.stringMatching(/^\d+$/),
      admin_ids: [Number(fake.humanAdmin.id)],
    });
    const assigned = await manage(conversationId, {
      message_type: 'assignment',
      type: 'team',
      assignee_id: billing?.id,
      body: 'Passing you to Billing',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.json().team_assignee_id).toBe(Number(billing?.id));
    expect(partsOf(assigned.json())[0]).toMatchObject({
      part_type: 'assignment',
      assigned_to: { type: 'team', id: billing?.id },
      body: '<p>Passing you to Billing</p>',
    });
    const unknown = await manage(conversationId, {
      message_type: 'assignment',
      type: 'team',
      assignee_id: '42',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual(errorBody('team_not_found', 'Team not found'));
    expect((await call('GET', '/teams/42')).json()).toEqual(errorBody('team_not_found', 'Team not found'));
    const unassigned = await manage(conversationId, {
      message_type: 'assignment',
      type: 'team',
      assignee_id: '0',
    });
    expect(unassigned.json().team_assignee_id).toBeNull();
  });

  it('assigns to an admin (numbers accepted for ids), re-opening a closed conversation', async () => {
    const { conversationId } = await createConversation();
    await manage(conversationId, { message_type: 'close', type: 'admin' });
    const assigned = await manage(conversationId, {
      message_type: 'assignment',
      type: 'admin',
      admin_id: Number(fake.botAdminId),
      assignee_id: Number(fake.humanAdmin.id),
    });
    expect(assigned.json()).toMatchObject({ admin_assignee_id: Number(fake.humanAdmin.id), state: 'open' });
    expect(partsOf(assigned.json())[0]).toMatchObject({
      part_type: 'assign_and_reopen',
      assigned_to: { type: 'admin', id: fake.humanAdmin.id },
      body: null,
    });
    expect((await manage(conversationId, { message_type: 'close' })).status).toBe(400);
    const snoozed = await manage(conversationId, {
      message_type: 'snoozed',
      snoozed_until: Math.floor(Date.now() / 1000) + 3600,
    });
    expect(snoozed.json()).toMatchObject({ state: 'snoozed', open: true, snoozed_until: expect.any(Number) });
    const opened = await manage(conversationId, { message_type: 'open' });
    expect(opened.json()).toMatchObject({ state: 'open', snoozed_until: null });
    const unknownAdmin = await manage(conversationId, { message_type: 'open', admin_id: '1' });
    expect(unknownAdmin.json()).toEqual(errorBody('admin_not_found', 'Admin not found'));
    // Delivered in no particular order (Intercom documents none).
    const topics = (await settledWebhooks()).map((notification) => notification.topic);
    expect(topics.sort()).toEqual([
      'conversation.admin.assigned',
      'conversation.admin.closed',
      'conversation.admin.opened',
      'conversation.admin.snoozed',
      'conversation.user.created',
    ]);
  });

  it('serves admins, me and away mode', async () => {
    const admins = (await call('GET', '/admins')).json() as { admins: Array<Record<string, unknown>> };
    expect(admins.admins.map((admin) => [admin.name, admin.away_mode_enabled])).toEqual([
      ['Handoff bot', false],
      ['Anna', false],
      ['Omar', true],
    ]);
    expect(admins.admins[1]?.team_ids).toEqual([expect.any(Number), expect.any(Number)]);
    const me = (await call('GET', '/me')).json();
    expect(me).toMatchObject({
      type: 'admin',
      id: fake.botAdminId,
      app: { type: 'app', id_code: expect.any(String) },
    });
    fake.setAdminAway(fake.humanAdmin.id, true);
    expect((await call('GET', `/admins/${fake.humanAdmin.id}`)).json().away_mode_enabled).toBe(true);
    const back = await call('PUT', `/admins/${fake.humanAdmin.id}/away`, {
      body: { away_mode_enabled: false, away_mode_reassign: false },
    });
    expect(back.json().away_mode_enabled).toBe(false);
    expect((await call('GET', '/admins/1')).json()).toEqual(errorBody('admin_not_found', 'Admin not found'));
  });
});

describe('webhooks (facts §7)', () => {
  it('sends the notification envelope signed with HMAC-SHA1 of the raw body, holding only the new part', async () => {
    const { conversationId } = await createConversation();
    await botReply(conversationId, { body: 'Bot note' });
    await call('POST', `/conversations/${conversationId}/reply`, {
      headers: { 'x-fake-intercom-harness': '1' },
      body: { message_type: 'comment', type: 'admin', admin_id: fake.humanAdmin.id, body: 'Hi, Anna here' },
    });
    await fake.idle();
    const deliveries = webhooks.splice(0);
    expect(deliveries).toHaveLength(3);
    for (const delivery of deliveries) {
      expect(delivery.headers).toEqual({
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': 'intercom-parrot-service-client/1.0',
        'x-hub-signature': `sha1=${createHmac('sha1', fake.clientSecret).update(delivery.body).digest('hex')}`,
      });
    }
    const bodies = deliveries.map((delivery) => JSON.parse(delivery.body) as Record<string, unknown>);
    const noted = bodies.find((notification) => notification.topic === 'conversation.admin.noted');
    const replied = bodies.find((notification) => notification.topic === 'conversation.admin.replied');
    expect(noted).toMatchObject({
      type: 'notification_event',
      app_id: expect.any(String),
      id: expect.stringMatching(/^notif_[0-9a-f-]{36}$/),
      topic: 'conversation.admin.noted',
      created_at: expect.any(Number),
      delivery_status: 'pending',
      delivery_attempts: 1,
      first_sent_at: expect.any(Number),
      delivered_at: 0,
      links: {},
      self: null,
      data: { type: 'notification_event_data', item: { type: 'conversation', id: conversationId } },
    });
    const item = (replied?.data as { item: Record<string, unknown> } | undefined)?.item ?? {};
    expect(replied?.topic).toBe('conversation.admin.replied');
    expect(item.conversation_parts).toMatchObject({ total_count: 1 });
    expect(partsOf(item)[0]).toMatchObject({
      part_type: 'comment',
      body: '<p>Hi, Anna here</p>',
      author: { type: 'admin', id: fake.humanAdmin.id, name: 'Anna' },
      app_package_code: null,
    });
  });

  it('delivers notifications in no particular order by default, and in the order of the changes when ordered', async () => {
    const arrivalOrder = async () => {
      const { conversationId } = await createConversation();
      await settledWebhooks();
      const made: string[] = [];
      for (let index = 0; index < 10; index += 1) {
        made.push(partsOf((await botReply(conversationId, { body: `Note ${index}` })).json())[0]?.id ?? '');
      }
      const arrived = (await settledWebhooks()).map(
        (notification) => partsOf((notification.data as { item: Record<string, unknown> }).item)[0]?.id,
      );
      expect([...arrived].sort()).toEqual([...made].sort());
      return { made, arrived };
    };
    await restart({ webhookJitterMs: [0, 40], webhookSeed: 7 });
    const unordered = await arrivalOrder();
    expect(unordered.arrived).not.toEqual(unordered.made);
    await restart({ webhookOrder: 'ordered' });
    const ordered = await arrivalOrder();
    expect(ordered.arrived).toEqual(ordered.made);
  });

  it('makes the envelope when the notification goes out: first_sent_at is then, created_at the change', async () => {
    let clock = new Date('2025-03-01T10:00:00Z');
    await restart({ now: () => clock, webhookJitterMs: [80, 80] });
    const { conversationId } = await createConversation();
    await settledWebhooks();
    const first = partsOf((await botReply(conversationId, { body: 'First note' })).json())[0]?.id;
    clock = new Date('2025-03-01T10:00:07Z');
    await botReply(conversationId, { body: 'Second note' });
    const notifications = await settledWebhooks();
    const earlier = notifications.find(
      (notification) => notification.created_at === Date.parse('2025-03-01T10:00:00Z') / 1000,
    );
    expect(earlier).toMatchObject({
      topic: 'conversation.admin.noted',
      first_sent_at: Date.parse('2025-03-01T10:00:07Z') / 1000,
    });
    // What it is about is the change as it was: the first note, the conversation as it stood then.
    const item = (earlier?.data as { item: Record<string, unknown> } | undefined)?.item ?? {};
    expect(partsOf(item).map((part) => part.id)).toEqual([first]);
    expect(item.updated_at).toBe(Date.parse('2025-03-01T10:00:00Z') / 1000);
  });

  it('sends admin.away_mode_updated with the admin when away mode changes, through the API or the UI', async () => {
    const anna = fake.humanAdmin.id;
    const away = await call('PUT', `/admins/${anna}/away`, {
      body: { away_mode_enabled: true, away_mode_reassign: false },
    });
    expect(away.status).toBe(200);
    // The same again changes nothing and sends nothing.
    await call('PUT', `/admins/${anna}/away`, {
      body: { away_mode_enabled: true, away_mode_reassign: false },
    });
    fake.setAdminAway(anna, false);
    const notifications = await settledWebhooks();
    expect(notifications.map((notification) => notification.topic)).toEqual([
      'admin.away_mode_updated',
      'admin.away_mode_updated',
    ]);
    const items = notifications.map(
      (notification) => (notification.data as { item: Record<string, unknown> }).item,
    );
    expect(items.map((item) => item.away_mode_enabled).sort()).toEqual([false, true]);
    for (const item of items) {
      expect(item).toMatchObject({ type: 'admin', id: anna, name: 'Anna', team_ids: expect.any(Array) });
    }
  });

  it('also POSTs each notification to the webhook URL (ordered on request, for debugging)', async () => {
    const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
    const { createServer } = await import('node:http');
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
    const { port } = receiver.address() as { port: number };
    try {
      await restart({
        webhookUrl: `http://127.0.0.1:${port}/intercom`,
        clientSecret: 'other-secret',
        webhookOrder: 'ordered',
      });
      const { conversationId } = await createConversation();
      await manage(conversationId, { message_type: 'close', type: 'admin' });
      await fake.idle();
      expect(received.map((delivery) => (JSON.parse(delivery.body) as { topic: string }).topic)).toEqual([
        'conversation.user.created',
        'conversation.admin.closed',
      ]);
      const [first] = received;
      expect(first?.headers['x-hub-signature']).toBe(
        `sha1=${createHmac('sha1', 'other-secret')
          .update(first?.body ?? '')
          .digest('hex')}`,
      );
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

describe('faults and rate limits', () => {
  it('answers injected faults once each, in order, then normally', async () => {
    fake.injectFault({ kind: 'unauthorized' });
    fake.injectFault({ kind: 'server_error' });
    fake.injectFault({ kind: 'malformed_body' });
    const unauthorized = await call('GET', '/teams');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.json()).toEqual(errorBody('unauthorized', 'Access Token Invalid'));
    const serverError = await call('GET', '/teams');
    expect(serverError.status).toBe(500);
    expect(serverError.json()).toMatchObject({ type: 'error.list' });
    const malformed = await call('GET', '/teams');
    expect(malformed.status).toBe(200);
    expect(() => malformed.json()).toThrow();
    expect((await call('GET', '/teams')).status).toBe(200);
  });

  it('resets the connection or never answers', async () => {
    fake.injectFault({ kind: 'connection_reset' });
    await expect(call('GET', '/teams')).rejects.toThrow();
    fake.injectFault({ kind: 'timeout' });
    await expect(call('GET', '/teams', { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect((await call('GET', '/teams')).status).toBe(200);
  });

  it('answers late or loses the answer of a request it processed (slow, lost_answer)', async () => {
    const contact = { role: 'user', external_id: 'late-or-lost' };
    fake.injectFault({ kind: 'slow', delayMs: 250 });
    const started = Date.now();
    const late = await call('POST', '/contacts', { body: contact });
    expect(late.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    fake.injectFault({ kind: 'lost_answer' });
    await expect(
      call('POST', '/contacts', { body: { role: 'user', external_id: 'lost' } }),
    ).rejects.toThrow();
    // Both were processed: the lost one is there although its client never heard.
    expect(fake.contacts().map((known) => known.externalId)).toEqual(['late-or-lost', 'lost']);
    expect(fake.requests.map((recorded) => [recorded.fault, recorded.response?.status])).toEqual([
      ['slow', 200],
      ['lost_answer', 200],
    ]);
    expect(fake.faultsInjected()).toEqual({ slow: 1, lost_answer: 1 });
  });

  it('fails a seeded share of requests at random', async () => {
    fake.setRandomFaults({ probability: 0.5, kinds: ['server_error'], seed: 5 });
    const statuses: number[] = [];
    for (let index = 0; index < 20; index += 1) statuses.push((await call('GET', '/teams')).status);
    fake.setRandomFaults(undefined);
    expect(statuses.filter((status) => status === 500)).toHaveLength(fake.faultsInjected().server_error ?? 0);
    expect(statuses.filter((status) => status === 500).length).toBeGreaterThan(3);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(3);
    expect((await call('GET', '/teams')).status).toBe(200);
  });

  it('answers rate_limited with 429 rate_limit_exceeded and the X-RateLimit headers', async () => {
    const before = Date.now();
    fake.injectFault({ kind: 'rate_limited', retryAfterMs: 3_000 });
    const limited = await call('GET', '/teams');
    expect(limited.status).toBe(429);
    expect((limited.json().errors as unknown[])[0]).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['x-ratelimit-limit'])).toBeGreaterThan(0);
    const resetMs = Number(limited.headers['x-ratelimit-reset']) * 1000;
    expect(resetMs - before).toBeGreaterThanOrEqual(3_000);
    expect(resetMs - before).toBeLessThanOrEqual(5_000);
    fake.injectFault({ kind: 'rate_limited' });
    const unhinted = await call('GET', '/teams');
    expect(Number(unhinted.headers['x-ratelimit-reset']) * 1000).toBeGreaterThan(before);
  });

  it('enforces rateLimitPerMinute with the headers on every answer', async () => {
    const clock = new Date('2025-03-01T10:00:20Z');
    await restart({ rateLimitPerMinute: 2, now: () => clock });
    const first = await call('GET', '/teams');
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': String(Date.parse('2025-03-01T10:01:00Z') / 1000),
    });
    expect((await call('GET', '/teams')).status).toBe(200);
    const third = await call('GET', '/teams');
    expect(third.status).toBe(429);
    expect(third.headers['x-ratelimit-remaining']).toBe('0');
    // The harness is never throttled.
    expect((await call('GET', '/teams', { headers: { 'x-fake-intercom-harness': '1' } })).status).toBe(200);
  });
});

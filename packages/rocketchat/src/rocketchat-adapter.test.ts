import {
  createMemoryReplayGuard,
  isSupportError,
  isWebhookVerificationError,
  type SupportAdapter,
} from '@handoff/core';
import fc from 'fast-check';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRocketChatAdapter } from './rocketchat-adapter.js';
import { handoffVisitorTokenFor, messageIdFor, visitorTokenFor } from './rocketchat-identifiers.js';
import type { RocketChatSettings } from './rocketchat-settings.js';

const origin = 'https://chat.example.com';
const secrets = {
  userId: 'bot-user-1',
  authToken: 'auth-token-canary-1234',
  webhookSecret: 'livechat-secret-canary',
};

let agent: MockAgent;
/** Every request the adapter made: method, path (with query) and JSON body. */
let sent: Array<{ method: string; path: string; body: unknown; headers: Record<string, string> }>;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  sent = [];
});

afterEach(async () => {
  await agent.close();
});

const pool = () => agent.get(origin);

/** A path with its query parameters in a fixed order, so tests need not know the order sent. */
function normalised(path: string): string {
  const url = new URL(path, origin);
  url.searchParams.sort();
  return `${url.pathname}${url.search}`;
}

/** Answers `method path` (exact path with query, or a path prefix test) with `status` and `body`, recording the call. */
function answer(
  method: string,
  path: string | ((path: string) => boolean),
  status: number,
  body: unknown,
  times = 1,
) {
  pool()
    .intercept({
      method,
      path: (actual: string) =>
        typeof path === 'string' ? normalised(actual) === normalised(path) : path(actual),
    })
    .reply(status, (options) => {
      sent.push({
        method: options.method,
        path: options.path,
        body: typeof options.body === 'string' ? JSON.parse(options.body) : undefined,
        headers: options.headers as Record<string, string>,
      });
      return body as object;
    })
    .times(times);
}

const adapterWith = (overrides: RocketChatSettings = {}): SupportAdapter =>
  createRocketChatAdapter({ baseUrl: origin, ...secrets, dispatcher: agent, env: {}, ...overrides });

const token = visitorTokenFor(secrets.authToken, 'user-1');
const room = (extra: Record<string, unknown> = {}) => ({
  _id: 'room-1',
  t: 'l',
  open: true,
  v: { _id: 'visitor-1', token },
  ...extra,
});

describe('ensureUser', () => {
  it('finds the visitor by the token derived from the user id, and creates it only when missing', async () => {
    answer('GET', `/api/v1/livechat/visitor/${token}`, 400, { success: false, error: 'invalid-token' });
    answer('POST', '/api/v1/livechat/visitor', 200, {
      visitor: { _id: 'visitor-1', token, name: 'Ada' },
      success: true,
    });
    answer('GET', `/api/v1/livechat/visitor/${token}`, 200, {
      visitor: { _id: 'visitor-1', token },
      success: true,
    });
    const adapter = adapterWith();
    await expect(adapter.ensureUser({ user: { id: 'user-1', name: 'Ada' } })).resolves.toEqual({
      supportUserId: 'visitor-1',
      created: true,
    });
    await expect(adapterWith().ensureUser({ user: { id: 'user-1', name: 'Ada' } })).resolves.toEqual({
      supportUserId: 'visitor-1',
      created: false,
    });
    expect(sent[1]?.body).toEqual({
      visitor: {
        token,
        name: 'Ada',
        customFields: [{ key: 'handoff_user_id', value: 'user-1', overwrite: true }],
      },
    });
    expect(sent[0]?.headers['x-user-id']).toBe(secrets.userId);
    expect(sent[0]?.headers['x-auth-token']).toBe(secrets.authToken);
  });

  it('writes a new visitor by its token alone before its email and phone, so Rocket.Chat never matches it to another visitor', async () => {
    answer('GET', `/api/v1/livechat/visitor/${token}`, 400, { success: false, error: 'invalid-token' });
    answer(
      'POST',
      '/api/v1/livechat/visitor',
      200,
      { visitor: { _id: 'visitor-1', token, name: 'Ada' }, success: true },
      2,
    );
    await adapterWith().ensureUser({
      user: { id: 'user-1', name: 'Ada', email: 'ada@example.com', phone: '+15550100' },
    });
    expect(sent.slice(1).map((call) => call.body)).toEqual([
      {
        visitor: {
          token,
          name: 'Ada',
          customFields: [{ key: 'handoff_user_id', value: 'user-1', overwrite: true }],
        },
      },
      { visitor: { token, email: 'ada@example.com', phone: '+15550100' } },
    ]);
  });

  it('refuses an answer that is another visitor (one matched by phone or email), never taking it for the user', async () => {
    answer('GET', `/api/v1/livechat/visitor/${token}`, 400, { success: false, error: 'invalid-token' });
    answer('POST', '/api/v1/livechat/visitor', 200, {
      visitor: { _id: 'someone-else', token: 'the-other-visitors-token' },
      success: true,
    });
    const error = await adapterWith()
      .ensureUser({ user: { id: 'user-1', name: 'Ada' } })
      .catch((caught) => caught);
    expect(isSupportError(error) && error.code).toBe('invalid_response');
  });

  it('gives two users whose ids differ only in case two visitor tokens that nobody can derive without the key', () => {
    expect(visitorTokenFor('key', 'Ada-7')).not.toBe(visitorTokenFor('key', 'ada-7'));
    expect(visitorTokenFor('key', 'user-1')).not.toBe(visitorTokenFor('other key', 'user-1'));
    expect(visitorTokenFor('key', 'user-1')).toBe(visitorTokenFor('key', 'user-1'));
  });
});

describe('openConversation and postMessages', () => {
  it('derives the visitor token from our user id when visitors.info leaves the token out (8.x)', async () => {
    answer('GET', '/api/v1/livechat/visitors.info?visitorId=visitor-1', 200, {
      visitor: { _id: 'visitor-1', name: 'Jane', livechatData: { handoff_user_id: 'user-1' } },
    });
    const handoffToken = handoffVisitorTokenFor(secrets.authToken, token, 'h');
    answer('POST', '/api/v1/livechat/visitor', 200, {
      visitor: { _id: 'visitor-2', token: handoffToken },
      success: true,
    });
    answer('GET', `/api/v1/livechat/room?token=${handoffToken}`, 200, {
      room: room({ v: { _id: 'visitor-2', token: handoffToken } }),
      newRoom: true,
      success: true,
    });
    const opened = await adapterWith().openConversation({
      supportUserId: 'visitor-1',
      sessionId: 's',
      handoffId: 'h',
    });
    expect(opened.conversationId).toBe('room-1');
  });

  it('opens the visitor room and posts user turns as the visitor, bot turns as the API user, in order, with our ids', async () => {
    answer('GET', '/api/v1/livechat/visitors.info?visitorId=visitor-1', 200, {
      visitor: {
        _id: 'visitor-1',
        token,
        name: 'Jane',
        visitorEmails: [{ address: 'jane@example.com' }],
        livechatData: { handoff_user_id: 'user-1' },
      },
    });
    // The handoff's own visitor (one open room per visitor), a copy of the user's: written by
    // token first, then its email (never matched against other visitors' emails).
    const handoffToken = handoffVisitorTokenFor(secrets.authToken, token, 'h');
    answer(
      'POST',
      '/api/v1/livechat/visitor',
      200,
      { visitor: { _id: 'visitor-2', token: handoffToken }, success: true },
      2,
    );
    answer('GET', `/api/v1/livechat/room?token=${handoffToken}`, 200, {
      room: room({ v: { _id: 'visitor-2', token: handoffToken } }),
      newRoom: true,
      success: true,
    });
    const userId = messageIdFor('room-1', 'm1');
    const botId = messageIdFor('room-1', 'm2');
    answer('POST', '/api/v1/livechat/message', 200, { message: { _id: userId }, success: true });
    answer('POST', '/api/v1/chat.sendMessage', 200, { message: { _id: botId }, success: true });
    const adapter = adapterWith();
    const opened = await adapter.openConversation({
      supportUserId: 'visitor-1',
      sessionId: 's',
      handoffId: 'h',
    });
    expect(opened).toEqual({ conversationId: 'room-1', recovered: false });
    const at = new Date().toISOString();
    const result = await adapter.postMessages({
      conversationId: 'room-1',
      messages: [
        { id: 'm1', author: 'user', text: 'I need a human', createdAt: at },
        { id: 'm2', author: 'bot', text: 'Let me find someone', createdAt: at },
      ],
    });
    expect(result.posted).toEqual([
      { id: 'm1', supportMessageId: userId },
      { id: 'm2', supportMessageId: botId },
    ]);
    expect(sent[1]?.body).toEqual({
      visitor: {
        token: handoffToken,
        name: 'Jane',
        customFields: [{ key: 'handoff_user_id', value: 'user-1', overwrite: true }],
      },
    });
    expect(sent[2]?.body).toEqual({ visitor: { token: handoffToken, email: 'jane@example.com' } });
    expect(sent.slice(4).map((call) => call.body)).toEqual([
      { token: handoffToken, rid: 'room-1', msg: 'I need a human', _id: userId },
      { message: { _id: botId, rid: 'room-1', msg: 'Let me find someone' } },
    ]);
    // Posted again by the same instance: nothing is sent a second time.
    const again = await adapter.postMessages({
      conversationId: 'room-1',
      messages: [{ id: 'm1', author: 'user', text: 'I need a human', createdAt: at }],
    });
    expect(again.posted).toEqual([{ id: 'm1', supportMessageId: userId }]);
    expect(sent).toHaveLength(6);
  });

  it('with recover, looks each message up by its _id and posts only what is missing', async () => {
    answer('GET', '/api/v1/rooms.info?roomId=room-1', 200, { room: room(), success: true });
    const first = messageIdFor('room-1', 'm1');
    const second = messageIdFor('room-1', 'm2');
    answer('GET', `/api/v1/livechat/message/${first}?token=${token}&rid=room-1`, 200, {
      message: { _id: first },
    });
    answer('GET', `/api/v1/livechat/message/${second}?token=${token}&rid=room-1`, 400, {
      success: false,
      error: 'invalid-message',
    });
    answer('POST', '/api/v1/livechat/message', 200, { message: { _id: second } });
    const at = new Date().toISOString();
    const result = await adapterWith().postMessages({
      conversationId: 'room-1',
      recover: true,
      messages: [
        { id: 'm1', author: 'user', text: 'one', createdAt: at },
        { id: 'm2', author: 'user', text: 'two', createdAt: at },
      ],
    });
    expect(result.posted.map((item) => item.id)).toEqual(['m1', 'm2']);
    expect(sent.filter((call) => call.method === 'POST')).toHaveLength(1);
  });

  it('takes a 400 on a post whose _id is already in the room as posted before', async () => {
    answer('GET', '/api/v1/rooms.info?roomId=room-1', 200, { room: room() });
    answer('POST', '/api/v1/chat.sendMessage', 400, { success: false, error: 'E11000 duplicate key error' });
    const id = messageIdFor('room-1', 'm1');
    answer('GET', `/api/v1/livechat/message/${id}?token=${token}&rid=room-1`, 200, { message: { _id: id } });
    const result = await adapterWith().postMessages({
      conversationId: 'room-1',
      messages: [{ id: 'm1', author: 'bot', text: 'hello', createdAt: new Date().toISOString() }],
    });
    expect(result.posted).toEqual([{ id: 'm1', supportMessageId: id }]);
  });

  it('names a room Rocket.Chat does not have not_found, and a closed one conflict', async () => {
    answer('GET', '/api/v1/rooms.info?roomId=nope', 400, {
      success: false,
      error:
        'The required "roomId" or "roomName" param provided does not match any channel [error-room-not-found]',
      errorType: 'error-room-not-found',
    });
    answer('GET', '/api/v1/rooms.info?roomId=room-1', 200, { room: room({ open: false }) });
    const message = { id: 'm1', author: 'user' as const, text: 'hi', createdAt: new Date().toISOString() };
    const missing = await adapterWith()
      .postMessages({ conversationId: 'nope', messages: [message] })
      .catch((error) => error);
    expect(isSupportError(missing) && [missing.code, missing.retryable]).toEqual(['not_found', false]);
    const closed = await adapterWith()
      .postMessages({ conversationId: 'room-1', messages: [message] })
      .catch((error) => error);
    expect(isSupportError(closed) && closed.code).toBe('conflict');
  });
});

describe('teams, transfer, close, availability', () => {
  const departments = (from: number, count: number) =>
    Array.from({ length: count }, (_, index) => ({
      _id: `d${from + index}`,
      name: `Department ${from + index}`,
      enabled: true,
    }));

  it('lists every department, page after page', async () => {
    answer('GET', '/api/v1/livechat/department?count=100&offset=0', 200, {
      departments: departments(0, 100),
      total: 130,
      count: 100,
      offset: 0,
    });
    answer('GET', '/api/v1/livechat/department?count=100&offset=100', 200, {
      departments: departments(100, 30),
      total: 130,
      count: 30,
      offset: 100,
    });
    const teams = await adapterWith().listTeams();
    expect(teams).toHaveLength(130);
    expect(teams[129]).toEqual({ id: 'd129', name: 'Department 129' });
  });

  it('forwards the room to the department with the note as the comment, and not again when it is there already', async () => {
    answer('GET', '/api/v1/rooms.info?roomId=room-1', 200, { room: room({ departmentId: 'd0' }) });
    answer('GET', '/api/v1/livechat/department?count=100&offset=0', 200, {
      departments: departments(0, 2),
      total: 2,
    });
    answer('POST', '/api/v1/livechat/room.forward', 200, { success: true });
    answer('GET', '/api/v1/rooms.info?roomId=room-1', 200, { room: room({ departmentId: 'd1' }) });
    const adapter = adapterWith();
    await expect(
      adapter.transfer({ conversationId: 'room-1', team: 'd1', note: 'Billing question' }),
    ).resolves.toEqual({
      team: { id: 'd1', name: 'Department 1' },
    });
    expect(sent.find((call) => call.path.endsWith('room.forward'))?.body).toEqual({
      roomId: 'room-1',
      departmentId: 'd1',
      comment: 'Billing question',
    });
    await adapter.transfer({ conversationId: 'room-1', team: 'd1', note: 'Billing question', recover: true });
    expect(sent.filter((call) => call.path.endsWith('room.forward'))).toHaveLength(1);
  });

  it('refuses a department Rocket.Chat does not have', async () => {
    answer('GET', '/api/v1/rooms.info?roomId=room-1', 200, { room: room() });
    answer(
      'GET',
      '/api/v1/livechat/department?count=100&offset=0',
      200,
      { departments: departments(0, 2), total: 2 },
      2,
    );
    const error = await adapterWith()
      .transfer({ conversationId: 'room-1', team: 'nowhere' })
      .catch((caught) => caught);
    expect(isSupportError(error) && error.code).toBe('not_found');
  });

  it('closes with the note as the comment; a room closed already is done', async () => {
    answer('POST', '/api/v1/livechat/room.closeByUser', 200, { success: true });
    answer('POST', '/api/v1/livechat/room.closeByUser', 400, {
      success: false,
      error: 'error-room-already-closed',
    });
    const adapter = adapterWith();
    await adapter.closeSession({ conversationId: 'room-1', note: 'The user went back to the bot' });
    expect(sent[0]?.body).toEqual({ rid: 'room-1', comment: 'The user went back to the bot' });
    await expect(adapter.closeSession({ conversationId: 'room-1', recover: true })).resolves.toBeUndefined();
  });

  it('says whether a department takes chats now', async () => {
    answer('GET', '/api/v1/livechat/department?count=100&offset=0', 200, {
      departments: departments(0, 2),
      total: 2,
    });
    answer('GET', '/api/v1/livechat/config?department=d0', 200, { config: { enabled: true, online: true } });
    answer('GET', '/api/v1/livechat/config?department=d1', 200, { config: { enabled: true, online: false } });
    const adapter = adapterWith();
    await expect(adapter.teamAvailability?.({ team: 'd0' })).resolves.toEqual({ available: true });
    await expect(adapter.teamAvailability?.({ team: 'd1' })).resolves.toEqual({
      available: false,
      reason: 'no_agents',
    });
  });
});

describe('errors', () => {
  it('waits on a rate limit until X-RateLimit-Reset', async () => {
    const now = 1_800_000_000_000;
    pool()
      .intercept({ method: 'GET', path: '/api/v1/livechat/department?count=100&offset=0' })
      .reply(
        429,
        {
          success: false,
          error:
            'Error, too many requests. Please slow down. You must wait 7 seconds before trying this endpoint again. [error-too-many-requests]',
        },
        {
          headers: {
            'x-ratelimit-limit': '10',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(now + 7_000),
          },
        },
      );
    const error = await adapterWith({ now: () => now })
      .listTeams()
      .catch((caught) => caught);
    expect(isSupportError(error) && [error.code, error.retryable, error.retryAfterMs]).toEqual([
      'rate_limited',
      true,
      7_000,
    ]);
  });

  it('keeps the credentials out of every error', async () => {
    answer('GET', '/api/v1/livechat/department?count=100&offset=0', 401, {
      status: 'error',
      message: 'You must be logged in to do this.',
    });
    const error = await adapterWith()
      .listTeams()
      .catch((caught) => caught);
    expect(isSupportError(error) && error.code).toBe('unauthorized');
    const text = JSON.stringify({
      message: error.message,
      body: error.vendorBody,
      cause: String(error.cause),
    });
    for (const secret of Object.values(secrets).slice(1)) expect(text).not.toContain(secret);
  });
});

describe('handleWebhook', () => {
  const headers = {
    'x-rocketchat-livechat-token': secrets.webhookSecret,
    'content-type': 'application/json',
  };
  const messageWebhook = (message: Record<string, unknown>) =>
    JSON.stringify({
      _id: 'room-1',
      type: 'Message',
      visitor: { _id: 'visitor-1', token, username: 'guest-1' },
      agent: { _id: 'agent-1', username: 'grace', name: 'Grace Hopper' },
      messages: [{ rid: 'room-1', ts: '2026-12-05T08:00:00.000Z', ...message }],
    });

  it('refuses a delivery without the secret token or with another one', async () => {
    const adapter = adapterWith();
    const body = messageWebhook({ _id: 'x1', username: 'grace', msg: 'hi', agentId: 'agent-1' });
    const missing = await adapter.handleWebhook({ headers: {}, body }).catch((error) => error);
    expect(isWebhookVerificationError(missing) && missing.reason).toBe('missing_signature');
    const wrong = await adapter
      .handleWebhook({ headers: { 'x-rocketchat-livechat-token': 'livechat-secret-canarz' }, body })
      .catch((error) => error);
    expect(isWebhookVerificationError(wrong) && wrong.reason).toBe('invalid_signature');
  });

  it("makes an agent's message agent.message, drops the visitor's and the API user's own, and refuses a replay", async () => {
    const adapter = adapterWith();
    const body = messageWebhook({
      _id: 'x1',
      username: 'grace',
      msg: 'Hello, I am Grace',
      agentId: 'agent-1',
    });
    const result = await adapter.handleWebhook({ headers, body });
    expect(result.events).toEqual([
      {
        type: 'agent.message',
        id: 'message:x1',
        conversationId: 'room-1',
        occurredAt: '2026-12-05T08:00:00.000Z',
        message: { id: 'x1', text: 'Hello, I am Grace' },
        agent: { id: 'agent-1', name: 'Grace Hopper' },
      },
    ]);
    const replay = await adapter.handleWebhook({ headers, body }).catch((error) => error);
    expect(isWebhookVerificationError(replay) && replay.reason).toBe('replayed_delivery');
    const visitor = await adapter.handleWebhook({
      headers,
      body: messageWebhook({ _id: 'x2', username: 'guest-1', msg: 'hi' }),
    });
    const own = await adapter.handleWebhook({
      headers,
      body: messageWebhook({ _id: 'x3', username: 'bot', msg: 'bot turn', agentId: secrets.userId }),
    });
    const closing = await adapter.handleWebhook({
      headers,
      body: messageWebhook({
        _id: 'x4',
        username: 'grace',
        msg: 'bye',
        agentId: 'agent-1',
        closingMessage: true,
      }),
    });
    expect([visitor.events, own.events, closing.events]).toEqual([[], [], []]);
  });

  it('makes a close conversation.closed and a taken room agent.assigned', async () => {
    const adapter = adapterWith();
    const closed = await adapter.handleWebhook({
      headers,
      body: JSON.stringify({
        _id: 'room-1',
        type: 'LivechatSession',
        closedAt: '2026-12-05T08:10:00.000Z',
        closer: 'user',
        closedBy: { _id: 'agent-1', username: 'grace' },
        messages: [],
      }),
    });
    expect(closed.events).toEqual([
      {
        type: 'conversation.closed',
        id: 'closed:room-1',
        conversationId: 'room-1',
        occurredAt: '2026-12-05T08:10:00.000Z',
        closedBy: 'agent',
        agent: { id: 'agent-1', name: 'grace' },
      },
    ]);
    const taken = await adapter.handleWebhook({
      headers,
      body: JSON.stringify({
        _id: 'room-1',
        type: 'LivechatSessionTaken',
        departmentId: 'd1',
        servedBy: { _id: 'agent-1', username: 'grace', ts: '2026-12-05T08:05:00.000Z' },
        agent: { _id: 'agent-1', username: 'grace', name: 'Grace Hopper' },
        messages: [],
      }),
    });
    expect(taken.events).toEqual([
      expect.objectContaining({
        type: 'agent.assigned',
        agent: { id: 'agent-1', name: 'Grace Hopper' },
        team: { id: 'd1' },
      }),
    ]);
  });

  it('never throws anything but a WebhookVerificationError, whatever the body', async () => {
    const adapter = adapterWith({ replayGuard: createMemoryReplayGuard() });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc
            .record({
              _id: fc.string(),
              type: fc.constantFrom(
                'Message',
                'LivechatSession',
                'LivechatSessionTaken',
                'LivechatSessionForwarded',
                'Other',
              ),
              messages: fc.array(fc.anything()),
              servedBy: fc.anything(),
            })
            .map((value) => JSON.stringify(value)),
        ),
        async (body) => {
          try {
            await adapter.handleWebhook({ headers, body });
          } catch (error) {
            expect(isWebhookVerificationError(error)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

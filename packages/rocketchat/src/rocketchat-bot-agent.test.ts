import { isSupportError, isWebhookVerificationError } from '@handoff/core';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRocketChatBotAgent } from './rocketchat-bot-agent.js';
import type { RocketChatBotAgentSettings } from './rocketchat-bot-agent-settings.js';
import { messageIdFor } from './rocketchat-identifiers.js';

const origin = 'https://chat.example.com';
const bot = { userId: 'bot-1', authToken: 'bot-token-canary-1234', webhookSecret: 'livechat-secret-canary' };
const headers = { 'x-rocketchat-livechat-token': bot.webhookSecret };

let agent: MockAgent;
let sent: Array<{ method: string; path: string; body: unknown }>;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  sent = [];
});

afterEach(async () => {
  await agent.close();
});

function answer(method: string, path: string, status: number, body: unknown) {
  agent
    .get(origin)
    .intercept({ method, path: (actual: string) => actual.split('?')[0] === path.split('?')[0] })
    .reply(status, (options) => {
      sent.push({
        method: options.method,
        path: options.path,
        body: typeof options.body === 'string' ? JSON.parse(options.body) : undefined,
      });
      return body as object;
    });
}

const botAgent = (overrides: RocketChatBotAgentSettings = {}) =>
  createRocketChatBotAgent({ baseUrl: origin, ...bot, dispatcher: agent, env: {}, ...overrides });

const room = (servedBy: string | undefined, extra: Record<string, unknown> = {}) => ({
  _id: 'room-1',
  t: 'l',
  open: true,
  v: { _id: 'visitor-1', token: 'visitor-token' },
  ...(servedBy === undefined ? {} : { servedBy: { _id: servedBy, username: servedBy } }),
  ...extra,
});

const reply = {
  id: 'r1',
  author: 'bot' as const,
  text: 'Hello from the bot',
  createdAt: new Date().toISOString(),
};

describe('the Rocket.Chat bot agent', () => {
  it('makes the visitor message a contact.message held by the bot while the bot serves the room', async () => {
    const result = await botAgent().handleBotWebhook({
      headers,
      body: JSON.stringify({
        _id: 'room-1',
        type: 'Message',
        visitor: { _id: 'visitor-1', name: 'Jane', customFields: { handoff_user_id: 'user-9' } },
        agent: { _id: 'bot-1', username: 'bot' },
        messages: [
          {
            _id: 'v1',
            username: 'guest-1',
            msg: 'Where is my order?',
            rid: 'room-1',
            ts: '2026-12-05T08:00:00.000Z',
          },
          { _id: 'b1', username: 'bot', msg: 'Looking', rid: 'room-1', agentId: 'bot-1' },
        ],
      }),
    });
    expect(result.events).toEqual([
      {
        type: 'contact.message',
        id: 'message:v1',
        conversationId: 'room-1',
        holder: 'bot',
        contact: { id: 'visitor-1', name: 'Jane', identifier: 'user-9' },
        message: { id: 'v1', text: 'Where is my order?' },
        occurredAt: '2026-12-05T08:00:00.000Z',
      },
    ]);
  });

  it("reads the forward of its own handoff (sent while the room still names the bot) as a human's, and a forward to the bot as the bot's", async () => {
    const holderOf = async (payload: Record<string, unknown>) =>
      (
        await botAgent().handleBotWebhook({
          headers,
          body: JSON.stringify({ _id: 'room-1', messages: [], ...payload }),
        })
      ).events.map((event) => (event.type === 'conversation.holder' ? event.holder : event.type));
    expect(
      await holderOf({
        type: 'LivechatSessionForwarded',
        departmentId: 'billing',
        oldDepartmentId: 'bots',
        servedBy: { _id: 'bot-1', username: 'bot' },
      }),
    ).toEqual(['human']);
    expect(
      await holderOf({
        type: 'LivechatSessionForwarded',
        departmentId: 'billing',
        servedBy: { _id: 'bot-1', username: 'bot', ts: '2026-12-05T08:00:00.000Z' },
      }),
    ).toEqual(['bot']);
    expect(
      await holderOf({ type: 'LivechatSessionTaken', servedBy: { _id: 'agent-7', username: 'ana' } }),
    ).toEqual(['human']);
  });

  it('refuses a webhook without the secret token, and accepts a delivery Rocket.Chat sends again', async () => {
    const body = JSON.stringify({ _id: 'room-1', type: 'LivechatSession', messages: [] });
    const refused = await botAgent()
      .handleBotWebhook({ headers: {}, body })
      .catch((error) => error);
    expect(isWebhookVerificationError(refused) && refused.reason).toBe('missing_signature');
    const adapter = botAgent();
    const first = await adapter.handleBotWebhook({ headers, body });
    const again = await adapter.handleBotWebhook({ headers, body });
    expect(again.events).toEqual(first.events);
    expect(first.events).toEqual([
      { type: 'conversation.holder', id: 'closed:room-1', conversationId: 'room-1', holder: 'closed' },
    ]);
  });

  it('replies as the bot with our _id only while the bot serves the room', async () => {
    answer('GET', '/api/v1/rooms.info', 200, { room: room('bot-1') });
    answer('POST', '/api/v1/chat.sendMessage', 200, { message: { _id: messageIdFor('room-1', 'r1') } });
    answer('GET', '/api/v1/rooms.info', 200, { room: room('agent-7') });
    const adapter = botAgent();
    await expect(adapter.replyAsBot({ conversationId: 'room-1', messages: [reply] })).resolves.toEqual({
      delivered: true,
      posted: [{ id: 'r1', supportMessageId: messageIdFor('room-1', 'r1') }],
    });
    expect(sent[1]?.body).toEqual({
      message: { _id: messageIdFor('room-1', 'r1'), rid: 'room-1', msg: 'Hello from the bot' },
    });
    await expect(
      adapter.replyAsBot({ conversationId: 'room-1', messages: [{ ...reply, id: 'r2' }] }),
    ).resolves.toEqual({ delivered: false, posted: [] });
    expect(sent.filter((call) => call.method === 'POST')).toHaveLength(1);
  });

  it('hands off by forwarding to the department with the note, once', async () => {
    answer('GET', '/api/v1/livechat/department', 200, {
      departments: [{ _id: 'd1', name: 'Billing' }],
      total: 1,
    });
    answer('GET', '/api/v1/rooms.info', 200, { room: room('bot-1') });
    answer('POST', '/api/v1/livechat/room.forward', 200, { success: true });
    answer('GET', '/api/v1/rooms.info', 200, { room: room(undefined, { departmentId: 'd1' }) });
    const adapter = botAgent();
    await expect(adapter.handOff({ conversationId: 'room-1', team: 'd1', note: 'Refund' })).resolves.toEqual({
      team: { id: 'd1', name: 'Billing' },
    });
    await adapter.handOff({ conversationId: 'room-1', team: 'd1', note: 'Refund', recover: true });
    expect(
      sent.filter((call) => call.path.startsWith('/api/v1/livechat/room.forward')).map((call) => call.body),
    ).toEqual([{ roomId: 'room-1', departmentId: 'd1', comment: 'Refund' }]);
    // An unknown department is looked for once more in a fresh list before it is refused.
    answer('GET', '/api/v1/livechat/department', 200, {
      departments: [{ _id: 'd1', name: 'Billing' }],
      total: 1,
    });
    const unknown = await adapter
      .handOff({ conversationId: 'room-1', team: 'nowhere', note: 'x' })
      .catch((error) => error);
    expect(isSupportError(unknown) && unknown.code).toBe('not_found');
  });
});

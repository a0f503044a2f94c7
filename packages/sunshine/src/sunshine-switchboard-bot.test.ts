import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSunshineSwitchboardBot } from './sunshine-switchboard-bot.js';

const origin = 'https://acme.zendesk.test';
const secret = 'webhook-secret-canary';
const app = '/sc/v2/apps/app1';
const ours = {
  id: 'sw-ours',
  name: 'handoff-bot',
  integrationId: 'integration-ours',
  integrationType: 'custom',
};
const workspace = { id: 'sw-aw', name: 'zd-agentWorkspace', integrationType: 'zd:agentWorkspace' };

let agent: MockAgent;
let bodies: unknown[];

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  bodies = [];
});

afterEach(async () => {
  await agent.close();
});

const answer = (method: string, path: string, status: number, body: unknown) =>
  agent
    .get(origin)
    .intercept({ method, path: (candidate) => candidate === path || candidate.startsWith(`${path}?`) })
    .reply((request) => {
      if (typeof request.body === 'string') bodies.push(JSON.parse(request.body));
      return { statusCode: status, data: JSON.stringify(body) };
    });

const bot = () =>
  createSunshineSwitchboardBot({
    baseUrl: `${origin}/sc`,
    appId: 'app1',
    keyId: 'app_key',
    keySecret: 'key-secret-canary',
    webhookSecret: secret,
    integrationId: 'integration-ours',
    zendeskUrl: origin,
    zendeskEmail: 'bot@acme.test',
    zendeskApiToken: 'zendesk-token-canary',
    botName: 'Acme bot',
    dispatcher: agent,
    env: {},
  });

const delivery = (events: unknown[]) => ({
  headers: { 'x-api-key': secret },
  body: JSON.stringify({ app: { id: 'app1' }, webhook: { id: 'wh1', version: 'v2' }, events }),
});

const userMessage = (id: string, active: unknown) => ({
  id: `event-${id}`,
  type: 'conversation:message',
  createdAt: '2026-12-05T06:00:00.000Z',
  payload: {
    conversation: {
      id: 'conv1',
      type: 'personal',
      ...(active === undefined ? {} : { activeSwitchboardIntegration: active }),
    },
    message: {
      id,
      received: '2026-12-05T06:00:00.000Z',
      author: {
        type: 'user',
        userId: 'user1',
        displayName: 'Jane Doe',
        user: { id: 'user1', externalId: 'customer-7' },
      },
      content: { type: 'text', text: 'Hello' },
      source: { type: 'web', integrationId: 'web-widget' },
    },
  },
});

const switchboard = (id: string, type: string, active: unknown, reason?: string) => ({
  id,
  type,
  createdAt: '2026-12-05T06:05:00.000Z',
  payload: {
    conversation: { id: 'conv1', ...(active === undefined ? {} : { activeSwitchboardIntegration: active }) },
    ...(reason === undefined ? {} : { reason }),
  },
});

describe('Sunshine switchboard bot: deliveries', () => {
  it('a user message while our integration is active is a contact.message held by the bot, with the contact', async () => {
    const result = await bot().handleBotWebhook(delivery([userMessage('m1', ours)]));
    expect(result.events).toEqual([
      {
        type: 'contact.message',
        id: 'message:m1',
        conversationId: 'conv1',
        holder: 'bot',
        contact: { id: 'user1', name: 'Jane Doe', identifier: 'customer-7' },
        message: { id: 'm1', text: 'Hello' },
        occurredAt: '2026-12-05T06:00:00.000Z',
      },
    ]);
  });

  it('a standby delivery (the Agent Workspace active) says a human holds it', async () => {
    const result = await bot().handleBotWebhook(delivery([userMessage('m2', workspace)]));
    expect(result.events.map((event) => event.holder)).toEqual(['human']);
  });

  it('reports who holds the conversation from the switchboard events', async () => {
    const result = await bot().handleBotWebhook(
      delivery([
        switchboard('e1', 'switchboard:passControl', workspace),
        switchboard('e2', 'switchboard:passControl', ours),
        switchboard('e3', 'switchboard:releaseControl', undefined, 'ticketClosed'),
        switchboard('e4', 'switchboard:passControl', ours, 'ticketClosed'),
      ]),
    );
    expect(result.events.map((event) => [event.type, event.holder])).toEqual([
      ['conversation.holder', 'human'],
      ['conversation.holder', 'bot'],
      ['conversation.holder', 'closed'],
      ['conversation.holder', 'closed'],
    ]);
  });

  it('accepts a delivery sent again, with the same event ids', async () => {
    const subject = bot();
    const first = await subject.handleBotWebhook(delivery([userMessage('m3', ours)]));
    const again = await subject.handleBotWebhook(delivery([userMessage('m3', ours)]));
    expect(again.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
  });

  it('refuses a delivery with another secret', async () => {
    await expect(
      bot().handleBotWebhook({ ...delivery([userMessage('m4', ours)]), headers: { 'x-api-key': 'nope' } }),
    ).rejects.toMatchObject({ reason: 'invalid_signature' });
  });
});

describe('Sunshine switchboard bot: replies', () => {
  const reply = { id: 'r1', author: 'bot' as const, text: 'Hi Jane', createdAt: new Date().toISOString() };

  it('posts as the business while our integration is active', async () => {
    answer('GET', `${app}/conversations/conv1`, 200, {
      conversation: { id: 'conv1', activeSwitchboardIntegration: ours },
    });
    answer('POST', `${app}/conversations/conv1/messages`, 201, { messages: [{ id: 'sm1' }] });
    expect(await bot().replyAsBot({ conversationId: 'conv1', messages: [reply] })).toEqual({
      delivered: true,
      posted: [{ id: 'r1', supportMessageId: 'sm1' }],
    });
    expect(bodies).toEqual([
      {
        author: { type: 'business', displayName: 'Acme bot' },
        content: { type: 'text', text: 'Hi Jane' },
        metadata: { handoff_message_id: 'r1' },
      },
    ]);
  });

  it('posts nothing while the Agent Workspace holds the conversation', async () => {
    answer('GET', `${app}/conversations/conv1`, 200, {
      conversation: { id: 'conv1', activeSwitchboardIntegration: workspace },
    });
    expect(await bot().replyAsBot({ conversationId: 'conv1', messages: [reply] })).toEqual({
      delivered: false,
      posted: [],
    });
    expect(bodies).toEqual([]);
  });
});

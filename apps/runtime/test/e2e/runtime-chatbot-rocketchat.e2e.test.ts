// A hosted platform's chatbot whose organization uses Rocket.Chat Omnichannel: its settings are
// checked against the server when support is turned on, and the handoff loop runs over its own
// webhook URL.
import { createRocketChatHarness, rocketChatSettingsFor } from '@handoff/rocketchat/testing';
import { describe, expect, it } from 'vitest';
import { admin } from '../support/admin-token.js';
import { cleanupsAfterEach } from '../support/cleanups.js';
import { eventually } from '../support/runtime-test-kit.js';
import { handedOffConversationId, startRuntimeWithAdmin } from '../support/support-system-loops.js';

const cleanups = cleanupsAfterEach();

async function setup() {
  const harness = await createRocketChatHarness();
  cleanups.push(async () => harness.close?.());
  const started = await startRuntimeWithAdmin();
  cleanups.push(started.close);
  const teams = await harness.teams();
  const sales = teams.find((team) => team.name === 'Sales');
  if (sales === undefined) throw new Error('the fake Rocket.Chat has no Sales department');
  const shop = (change: Record<string, unknown> = {}) => ({
    name: 'Shop',
    channels: { web: { token: 'shop-web-token-0123456789abcdef' } },
    support: {
      type: 'rocketchat',
      rocketchat: { ...rocketChatSettingsFor(harness.fake), requestTimeoutMs: 2_000, ...change },
    },
    routing: { defaultTeam: { team: sales.id, label: 'Sales' }, teams: [] },
  });
  return { harness, ...started, shop, sales };
}

describe('a chatbot on Rocket.Chat Omnichannel', () => {
  it('refuses an access token Rocket.Chat does not know, naming the field and never echoing the token', async () => {
    const { call, shop } = await setup();
    const wrongToken = 'not-the-personal-access-token-0123456789';
    const refused = await call(
      'POST',
      '/v1/admin/bots',
      { id: 'shop', ...shop({ authToken: wrongToken }) },
      admin,
    );
    expect(refused.status, refused.text).toBe(400);
    expect(refused.text).not.toContain(wrongToken);
    expect((refused.json.issues as Array<{ path: string }>).map((issue) => issue.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^support\.rocketchat\./)]),
    );
    expect((await call('GET', '/v1/admin/bots/shop', undefined, admin)).status).toBe(404);
  });

  it('never reads back the access token, the webhook secret or the visitor token key', async () => {
    const { call, harness, shop } = await setup();
    const visitorTokenKey = 'a-visitor-token-key-of-this-shop-0123';
    const created = await call('POST', '/v1/admin/bots', { id: 'shop', ...shop({ visitorTokenKey }) }, admin);
    expect(created.status, created.text).toBe(201);
    const read = await call('GET', '/v1/admin/bots/shop', undefined, admin);
    for (const secret of [harness.fake.authToken, harness.fake.webhookSecret, visitorTokenKey])
      expect(`${created.text}${read.text}`).not.toContain(secret);
  });

  it('hands off to the department and relays the agent over the chatbot webhook', async () => {
    const { call, harness, shop, sales, url, runtime } = await setup();
    const created = await call('POST', '/v1/admin/bots', { id: 'shop', ...shop() }, admin);
    expect(created.status, created.text).toBe(201);
    harness.fake.setWebhookUrl(`${url}/v1/bots/shop/support/webhook`);

    const channel = { authorization: 'Bearer shop-web-token-0123456789abcdef' };
    const base = '/v1/bots/shop/channels/web/users/alice';
    expect((await call('POST', `${base}/messages`, { text: 'human please' }, channel)).status).toBe(200);
    const conversationId = await handedOffConversationId(
      { session: () => call('GET', `${base}/session`, undefined, channel) },
      10_000,
    );
    await eventually(async () => {
      const conversation = await harness.getConversation(conversationId);
      expect(conversation?.team?.id).toBe(sales.id);
    }, 10_000);
    await harness.agentReply(conversationId, { text: 'Ana here, from Rocket.Chat.' });
    await eventually(async () => {
      const entries = await runtime.stores.mailbox.after('bots/shop/web/alice', 0);
      expect(entries.map((entry) => entry.message.text)).toContain('Ana here, from Rocket.Chat.');
    }, 10_000);
  });
});

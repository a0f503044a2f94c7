// A hosted platform's chatbot whose organization uses Zendesk messaging: its settings are checked
// against the account when support is turned on, and the handoff loop runs over its own webhook URL.
import { createSunshineHarness, sunshineSettingsFor } from '@handoff/sunshine/testing';
import { describe, expect, it } from 'vitest';
import { admin } from '../support/admin-token.js';
import { cleanupsAfterEach } from '../support/cleanups.js';
import { eventually } from '../support/runtime-test-kit.js';
import { handedOffConversationId, startRuntimeWithAdmin } from '../support/support-system-loops.js';

const cleanups = cleanupsAfterEach();

async function setup() {
  const harness = await createSunshineHarness();
  cleanups.push(async () => harness.close?.());
  const started = await startRuntimeWithAdmin();
  cleanups.push(started.close);
  const teams = await harness.teams();
  const support = teams.find((team) => team.name === 'Support');
  if (support === undefined) throw new Error('the fake Zendesk account has no Support group');
  const shop = (change: Record<string, unknown> = {}) => ({
    name: 'Shop',
    channels: { web: { token: 'shop-web-token-0123456789abcdef' } },
    support: {
      type: 'sunshine',
      sunshine: { ...sunshineSettingsFor(harness.fake), requestTimeoutMs: 2_000, ...change },
    },
    routing: { defaultTeam: { team: support.id, label: 'Support' }, teams: [] },
  });
  return { harness, ...started, shop, support };
}

describe('a chatbot on Zendesk messaging (Sunshine Conversations)', () => {
  it('refuses a key Zendesk does not know, naming the field and never echoing the secret', async () => {
    const { call, shop } = await setup();
    const wrongSecret = 'not-the-key-secret-of-this-app-0123456789';
    const refused = await call(
      'POST',
      '/v1/admin/bots',
      { id: 'shop', ...shop({ keySecret: wrongSecret }) },
      admin,
    );
    expect(refused.status, refused.text).toBe(400);
    expect(refused.text).not.toContain(wrongSecret);
    expect((refused.json.issues as Array<{ path: string }>).map((issue) => issue.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^support\.sunshine\./)]),
    );
    expect((await call('GET', '/v1/admin/bots/shop', undefined, admin)).status).toBe(404);
  });

  it('hands off to the group and relays the agent over the chatbot webhook', async () => {
    const { call, harness, shop, support, url, runtime } = await setup();
    const created = await call('POST', '/v1/admin/bots', { id: 'shop', ...shop() }, admin);
    expect(created.status, created.text).toBe(201);
    expect(created.text).not.toContain(harness.fake.keySecret);
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
      expect(conversation?.team?.id).toBe(support.id);
    }, 10_000);
    await harness.agentReply(conversationId, { text: 'Anna here, from Zendesk.' });
    await eventually(async () => {
      const entries = await runtime.stores.mailbox.after('bots/shop/web/alice', 0);
      expect(entries.map((entry) => entry.message.text)).toContain('Anna here, from Zendesk.');
    }, 10_000);
  });
});

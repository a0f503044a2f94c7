// Turning a chatbot's support on checks its settings against the system (token, account, inbox),
// and registers the webhook where the system lets the runtime: Chatwoot's account webhooks.
import { chatwootSettingsFor, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { freePort } from '@handoff/storage-redis/testing';
import { describe, expect, it } from 'vitest';
import { agentSays } from '../reliability/agent-says.js';
import { admin, adminToken, settingsOf } from '../support/admin-token.js';
import { cleanupsAfterEach } from '../support/cleanups.js';
import { eventually, startRuntime, testToken } from '../support/runtime-test-kit.js';

const cleanups = cleanupsAfterEach();

/** A fake Chatwoot, and a runtime that knows its public URL (so it can register webhooks). */
async function setup(options: { publicUrl?: boolean } = {}) {
  const fake = await startFakeChatwoot();
  cleanups.push(() => fake.close());
  const port = await freePort();
  const started = await startRuntime({
    server: {
      host: '127.0.0.1',
      port,
      ...(options.publicUrl === false ? {} : { publicUrl: `http://127.0.0.1:${port}` }),
    },
    auth: {
      tokens: [{ name: 'test', token: testToken }],
      adminTokens: [{ name: 'ops', token: adminToken }],
      rateLimitPerMinute: 1_000_000,
    },
  });
  cleanups.push(started.close);
  const bank = (chatwoot: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    name: 'Bank',
    channels: { web: { token: 'bank-web-token-0123456789abcdef' } },
    support: {
      type: 'chatwoot',
      chatwoot: { ...chatwootSettingsFor(fake), requestTimeoutMs: 2_000, ...chatwoot },
      ...extra,
    },
    routing: { defaultTeam: { team: '3', label: 'Orders' }, teams: [] },
  });
  return { fake, ...started, port, bank };
}

/** Leaves the inbox's webhook secret out (a key whose value is undefined is not sent). */
const withoutSecret = { webhookSecret: undefined };

const issuesOf = (body: Record<string, unknown>) => body.issues as Array<{ path: string; message: string }>;

describe('turning support on checks the settings against the system', () => {
  it('names the field the system refuses: the token, the account, the inbox', async () => {
    const { call, fake, bank } = await setup({ publicUrl: false });
    const cases = [
      [{ userToken: 'not-a-token-of-this-chatwoot' }, 'support.chatwoot.userToken'],
      [{ accountId: fake.accountId + 41 }, 'support.chatwoot.accountId'],
      [{ inboxId: fake.inboxId + 99 }, 'support.chatwoot.inboxId'],
    ] as const;
    for (const [change, path] of cases) {
      const refused = await call('POST', '/v1/admin/bots', { id: 'bank', ...bank(change) }, admin);
      expect([refused.status, issuesOf(refused.json)[0]?.path], JSON.stringify(refused.json)).toEqual([
        400,
        path,
      ]);
      expect(refused.text).not.toContain(fake.tokens.admin);
    }
    // Without a webhook to register (no public URL), the inbox's secret is needed.
    const noSecret = await call('POST', '/v1/admin/bots', { id: 'bank', ...bank(withoutSecret) }, admin);
    expect(noSecret.status, noSecret.text).toBe(400);
    expect(issuesOf(noSecret.json)[0]?.path).toBe('support.chatwoot.webhookSecret');
    expect((await call('GET', '/v1/admin/bots/bank', undefined, admin)).status).toBe(404);
    // Good settings are stored; without a public URL no webhook is registered (the inbox's is used).
    expect((await call('POST', '/v1/admin/bots', { id: 'bank', ...bank({}) }, admin)).status).toBe(201);
    expect(fake.accountWebhooks()).toEqual([]);
  });

  it('registers the account webhook once, and keeps its secret (write-only) to verify what it sends', async () => {
    const { call, fake, port, bank, runtime } = await setup();
    const created = await call('POST', '/v1/admin/bots', { id: 'bank', ...bank(withoutSecret) }, admin);
    expect(created.status, created.text).toBe(201);
    const [webhook, ...others] = fake.accountWebhooks();
    expect(others).toEqual([]);
    expect(webhook?.url).toBe(`http://127.0.0.1:${port}/v1/bots/bank/support/webhook`);
    expect(webhook?.subscriptions).toEqual(
      expect.arrayContaining(['message_created', 'conversation_status_changed']),
    );
    // Kept, sealed, never answered.
    const stored = await runtime.chatbots.settings('bank');
    expect(stored?.settings.support).toMatchObject({ chatwoot: { webhookSecret: webhook?.secret } });
    expect(created.text).not.toContain(String(webhook?.secret));
    expect((created.json.support as { chatwoot: Record<string, unknown> }).chatwoot.webhookSecret).toEqual({
      set: true,
    });

    // Turning support off and on again reuses it.
    const settings = settingsOf(created.json);
    expect(
      (await call('PUT', '/v1/admin/bots/bank', { ...settings, supportEnabled: false }, admin)).status,
    ).toBe(200);
    expect(
      (await call('PUT', '/v1/admin/bots/bank', { ...settings, supportEnabled: true }, admin)).status,
    ).toBe(200);
    expect(fake.accountWebhooks()).toHaveLength(1);
  });

  it('plays the whole loop over the registered webhook: an agent’s reply reaches the user, verified with its secret', async () => {
    const { call, fake, bank, runtime } = await setup();
    fake.setAvailability(8, 'online');
    expect((await call('POST', '/v1/admin/bots', { id: 'bank', ...bank(withoutSecret) }, admin)).status).toBe(
      201,
    );
    // Only the account webhook reaches the runtime: the inbox has no webhook URL.
    const deliveries: string[] = [];
    fake.subscribeAccountWebhooks((_request, target) => {
      deliveries.push(target.url);
    });
    const channel = { authorization: 'Bearer bank-web-token-0123456789abcdef' };
    const base = '/v1/bots/bank/channels/web/users/alice';
    expect((await call('POST', `${base}/messages`, { text: 'human please' }, channel)).status).toBe(200);
    const conversationId = await eventually(async () => {
      const id = (await call('GET', `${base}/session`, undefined, channel)).json.conversationId;
      if (typeof id !== 'string') throw new Error('no conversation yet');
      return Number(id);
    }, 10_000);
    await agentSays(fake, conversationId, 'Omar here, over the account webhook.');
    await eventually(async () => {
      const entries = await runtime.stores.mailbox.after('bots/bank/web/alice', 0);
      expect(entries.map((entry) => entry.message.text)).toContain('Omar here, over the account webhook.');
    }, 10_000);
    expect(deliveries.length).toBeGreaterThan(0);
  });

  it('refuses an agent’s token when it must register the webhook, and leaves it to you when told', async () => {
    const { call, fake, bank } = await setup();
    const refused = await call(
      'POST',
      '/v1/admin/bots',
      { id: 'bank', ...bank({ userToken: fake.tokens.agent }) },
      admin,
    );
    expect(refused.status).toBe(400);
    expect(issuesOf(refused.json)[0]).toMatchObject({
      path: 'support.chatwoot.userToken',
      message: expect.stringContaining("administrator's token"),
    });
    const manual = await call(
      'POST',
      '/v1/admin/bots',
      { id: 'bank', ...bank({ userToken: fake.tokens.agent }, { registerWebhook: false }) },
      admin,
    );
    expect(manual.status, manual.text).toBe(201);
    expect(fake.accountWebhooks()).toEqual([]);
  });
});

// A registry chatbot's in-process support system keeps its records in the storage: a restart goes on
// with its conversations; and, as for the configuration's, one instance runs it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chatwootSettingsFor, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { startRedisServer } from '@handoff/storage-redis/testing';
import { describe, expect, it } from 'vitest';
import type { RuntimeConfigInput } from '../../src/config/runtime-config.js';
import { admin, adminToken } from '../support/admin-token.js';
import { cleanupsAfterEach } from '../support/cleanups.js';
import { eventually, startRuntime, testToken } from '../support/runtime-test-kit.js';

const shopToken = 'shop-web-token-0123456789abcdef';
const shop = { authorization: `Bearer ${shopToken}` };
const base = '/v1/bots/shop/channels/web/users/alice';

const cleanups = cleanupsAfterEach();

const auth = {
  tokens: [{ name: 'test', token: testToken }],
  adminTokens: [{ name: 'ops', token: adminToken }],
  rateLimitPerMinute: 1_000_000,
};
const shopBot = {
  id: 'shop',
  name: 'Shop',
  channels: { web: { token: shopToken } },
  routing: { defaultTeam: { team: '2', label: 'Billing' }, teams: [] },
};

describe('a registry chatbot’s in-process support system', () => {
  it('goes on after a restart with its conversations, ids and messages', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'handoff-in-process-'));
    cleanups.push(async () => rmSync(directory, { recursive: true, force: true }));
    const overrides: Partial<RuntimeConfigInput> = {
      auth,
      storage: { type: 'sqlite', path: join(directory, 'handoff.db') },
    };
    const first = await startRuntime(overrides);
    cleanups.push(first.close);
    expect((await first.call('POST', '/v1/admin/bots', shopBot, admin)).status).toBe(201);
    expect((await first.call('POST', `${base}/messages`, { text: 'human please' }, shop)).status).toBe(200);
    const conversationId = await eventually(async () => {
      const id = (await first.call('GET', `${base}/session`, undefined, shop)).json.conversationId;
      if (typeof id !== 'string') throw new Error('no conversation yet');
      return id;
    });
    const before = (await first.runtime.servedChatbots.get('shop')).support.memory;
    await eventually(() => expect(before?.getConversation(conversationId)?.teamId).toBe('2'));
    await first.close();

    const second = await startRuntime(overrides);
    cleanups.push(second.close);
    // Alice is still with the agent, in the same conversation of the same system.
    const answer = await second.call('POST', `${base}/messages`, { text: 'are you there?' }, shop);
    expect(answer.json.mode, answer.text).toBe('human');
    const after = (await second.runtime.servedChatbots.get('shop')).support.memory;
    await eventually(() => {
      const conversation = after?.getConversation(conversationId);
      expect(conversation?.teamId).toBe('2');
      expect(conversation?.messages.filter((m) => m.author === 'user').map((m) => m.text)).toEqual([
        'human please',
        'are you there?',
      ]);
    });
    // The agent's reply reaches alice.
    after?.reply(conversationId, { text: 'Anna here, still with you.' });
    await eventually(async () => {
      const entries = await second.runtime.stores.mailbox.after('bots/shop/web/alice', 0);
      expect(entries.map((entry) => entry.message.text)).toContain('Anna here, still with you.');
    });
    // A new conversation gets a new id: the counters came back too.
    expect(after?.listConversations().map((conversation) => conversation.id)).toEqual([conversationId]);
  });

  it('runs on one instance of several: another answers 503 saying why', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const fake = await startFakeChatwoot();
    cleanups.push(() => fake.close());
    const overrides: Partial<RuntimeConfigInput> = {
      auth,
      storage: { type: 'redis', url: redis.url, keyPrefix: 'in-process' },
      // The configuration's chatbot on a system both share.
      support: {
        type: 'chatwoot',
        name: 'chatwoot',
        catchUpIntervalMs: 0,
        chatwoot: chatwootSettingsFor(fake),
      },
    };
    const a = await startRuntime(overrides);
    cleanups.push(a.close);
    const b = await startRuntime(overrides);
    cleanups.push(b.close);
    expect((await a.call('POST', '/v1/admin/bots', shopBot, admin)).status).toBe(201);
    expect((await a.call('POST', `${base}/messages`, { text: 'hello' }, shop)).status).toBe(200);
    const refused = await b.call('POST', `${base}/messages`, { text: 'hello' }, shop);
    expect([refused.status, refused.json.error]).toEqual([503, 'unavailable']);
    expect(refused.json.message).toContain('in-process support system, which runs on one instance');
    // Asked again, the same refusal, saying the same why (tests time nothing; the benchmarks do).
    const again = await b.call('POST', `${base}/messages`, { text: 'hello' }, shop);
    expect([again.status, again.json.message]).toEqual([503, refused.json.message]);
    // A still serves it.
    expect((await a.call('POST', `${base}/messages`, { text: 'hello' }, shop)).status).toBe(200);
  }, 30_000);
});

// A registry chatbot catches up with its support system like the default one: an agent's reply
// whose webhook never arrived (Chatwoot never retries) still reaches the user.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chatwootSettingsFor, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime.js';
import { agentSays } from '../reliability/agent-says.js';
import { adminToken } from '../support/admin-token.js';
import { cleanupsAfterEach } from '../support/cleanups.js';
import { eventually, startRuntime, testToken } from '../support/runtime-test-kit.js';

const bankToken = 'bank-web-token-0123456789abcdef';

const cleanups = cleanupsAfterEach();

const overridesFor = (storagePath: string, catchUpIntervalMs: number) => ({
  auth: {
    tokens: [{ name: 'test', token: testToken }],
    adminTokens: [{ name: 'ops', token: adminToken }],
    rateLimitPerMinute: 1_000_000,
  },
  storage: { type: 'sqlite' as const, path: storagePath },
  support: { type: 'in-process' as const, name: 'memory', catchUpIntervalMs },
});

/** A fake Chatwoot, and a runtime whose registry chatbot `bank` uses it, with alice handed off. */
async function handedOff(catchUpIntervalMs: number) {
  const fake = await startFakeChatwoot();
  cleanups.push(() => fake.close());
  fake.setAvailability(8, 'online');
  const directory = mkdtempSync(join(tmpdir(), 'handoff-catch-up-'));
  cleanups.push(async () => rmSync(directory, { recursive: true, force: true }));
  const overrides = overridesFor(join(directory, 'handoff.db'), catchUpIntervalMs);
  const started = await startRuntime(overrides);
  let close = started.close;
  cleanups.push(() => close());
  const created = await started.call(
    'POST',
    '/v1/admin/bots',
    {
      id: 'bank',
      name: 'Bank',
      channels: { web: { token: bankToken } },
      support: { type: 'chatwoot', chatwoot: { ...chatwootSettingsFor(fake), requestTimeoutMs: 2_000 } },
      routing: { defaultTeam: { team: '3', label: 'Orders' }, teams: [] },
    },
    { authorization: `Bearer ${adminToken}` },
  );
  expect(created.status, created.text).toBe(201);
  fake.setInbox({ webhookUrl: `${started.url}/v1/bots/bank/support/webhook` });
  const base = '/v1/bots/bank/channels/web/users/alice';
  const bearer = { authorization: `Bearer ${bankToken}` };
  expect((await started.call('POST', `${base}/messages`, { text: 'human please' }, bearer)).status).toBe(200);
  const conversationId = await eventually(async () => {
    const id = (await started.call('GET', `${base}/session`, undefined, bearer)).json.conversationId;
    if (typeof id !== 'string') throw new Error('no conversation yet');
    return Number(id);
  }, 10_000);
  return {
    fake,
    started,
    conversationId,
    /** Starts another runtime on the same storage, in place of the first (closed by then). */
    restart: async () => {
      const next = await startRuntime(overrides);
      close = next.close;
      return next;
    },
  };
}

/** The texts alice's mailbox holds for chatbot bank. */
async function mailboxTexts(runtime: Runtime) {
  const entries = await runtime.stores.mailbox.after('bots/bank/web/alice', 0);
  return entries.map((entry) => entry.message.text);
}

describe('catching up a registry chatbot with its support system', () => {
  it('reads back, at the next interval, an agent reply whose webhook was lost', async () => {
    const { fake, started, conversationId } = await handedOff(300);
    // Webhooks go nowhere from now on.
    fake.setInbox({ webhookUrl: undefined });
    await agentSays(fake, conversationId, 'Omar here: your card is unblocked.');
    await eventually(
      async () => expect(await mailboxTexts(started.runtime)).toContain('Omar here: your card is unblocked.'),
      10_000,
    );
  });

  it('reads back, when the runtime starts again, what an agent wrote while it was down', async () => {
    const { fake, started, conversationId, restart } = await handedOff(0);
    await started.close();
    // Chatwoot's webhook goes to a runtime that is down, and is never sent again.
    await agentSays(fake, conversationId, 'Omar here, while you were away.');
    await fake.idle();
    const next = await restart();
    fake.setInbox({ webhookUrl: `${next.url}/v1/bots/bank/support/webhook` });
    await eventually(
      async () => expect(await mailboxTexts(next.runtime)).toContain('Omar here, while you were away.'),
      10_000,
    );
    // Read back once, delivered once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const texts = await mailboxTexts(next.runtime);
    expect(texts.filter((text) => text === 'Omar here, while you were away.')).toHaveLength(1);
  });
});

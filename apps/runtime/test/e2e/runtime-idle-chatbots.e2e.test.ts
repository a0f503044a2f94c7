// A registry chatbot's engine is dropped once idle, and built again by the next message or webhook,
// with nothing lost on the way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { admin, adminToken } from '../support/admin-token.js';
import { eventually, startRuntime, testToken } from '../support/runtime-test-kit.js';

const shopToken = 'shop-web-token-0123456789abc';
const shop = { authorization: `Bearer ${shopToken}` };

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('idle chatbots', () => {
  it('drops an idle engine, and the next webhook or message builds it again without losing anything', async () => {
    const started = await startRuntime({
      auth: {
        tokens: [{ name: 'test', token: testToken }],
        adminTokens: [{ name: 'ops', token: adminToken }],
        rateLimitPerMinute: 1_000_000,
      },
      chatbots: { idleAfterMs: 300 },
    });
    cleanups.push(started.close);
    const { call, runtime } = started;
    const created = await call(
      'POST',
      '/v1/admin/bots',
      {
        id: 'shop',
        name: 'Shop',
        channels: { web: { token: shopToken } },
        routing: { defaultTeam: { team: '1', label: 'Support' }, teams: [] },
      },
      admin,
    );
    expect(created.status, created.text).toBe(201);
    const say = (text: string) =>
      call('POST', '/v1/bots/shop/channels/web/users/ada/messages', { text }, shop);
    const served = runtime.servedChatbots;

    expect((await say('hello')).status).toBe(200);
    expect((await say('human please')).status).toBe(200);
    const system = (await served.get('shop')).support.memory;
    const conversation = await eventually(() => {
      const [only] = system?.listConversations() ?? [];
      if (only === undefined) throw new Error('no conversation yet');
      return only;
    });
    // Idle for longer than idleAfterMs, with nothing queued: dropped.
    await eventually(() => expect(served.runningCount).toBe(0), 5_000);

    // An agent's reply to the dropped chatbot builds its engine, and reaches the user.
    system?.reply(conversation.id, { text: 'agent here' });
    const mailboxTexts = async () =>
      (await runtime.stores.mailbox.after('bots/shop/web/ada', 0)).map((entry) => entry.message.text);
    await eventually(async () => expect(await mailboxTexts()).toContain('agent here'), 5_000);
    expect(served.runningCount).toBe(1);

    // Dropped again; the user's next message builds it and reaches the agent's conversation.
    await eventually(() => expect(served.runningCount).toBe(0), 5_000);
    const answer = await say('thanks, one more question');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.mode).toBe('human');
    await eventually(() => {
      const texts = (system?.getConversation(conversation.id)?.messages ?? [])
        .filter((message) => message.author === 'user')
        .map((message) => message.text);
      expect(texts).toContain('thanks, one more question');
    }, 5_000);
    expect(served.runningCount).toBe(1);
  });

  it('starts, at start-up, the chatbots with deliveries queued, and only them', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'handoff-idle-'));
    cleanups.push(async () => rmSync(directory, { recursive: true, force: true }));
    const overrides = {
      auth: {
        tokens: [{ name: 'test', token: testToken }],
        adminTokens: [{ name: 'ops', token: adminToken }],
        rateLimitPerMinute: 1_000_000,
      },
      storage: { type: 'sqlite' as const, path: join(directory, 'handoff.db') },
      chatbots: { idleAfterMs: 60_000 },
    };
    // Callbacks to a port nobody listens on keep failing: retried a minute later, so still queued.
    const delivery = { backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } };
    const first = await startRuntime(overrides, { delivery });
    const create = async (id: string, callbackUrl?: string) => {
      const created = await first.call(
        'POST',
        '/v1/admin/bots',
        {
          id,
          name: id,
          channels: {
            web: {
              token: `${id}-web-token-0123456789abc`,
              ...(callbackUrl === undefined
                ? {}
                : { callbackUrl, callbackSecret: 'callback-secret-0123456789' }),
            },
          },
          routing: { defaultTeam: { team: '1', label: 'Support' }, teams: [] },
        },
        admin,
      );
      expect(created.status, created.text).toBe(201);
    };
    await create('quiet');
    await create('busy', 'http://127.0.0.1:9/callback');
    for (const id of ['quiet', 'busy']) {
      const answer = await first.call(
        'POST',
        `/v1/bots/${id}/channels/web/users/ada/messages`,
        { text: 'human please' },
        { authorization: `Bearer ${id}-web-token-0123456789abc` },
      );
      expect(answer.status, answer.text).toBe(200);
    }
    // An agent's reply to the busy chatbot's user waits in its outbox for the callback.
    const system = (await first.runtime.servedChatbots.get('busy')).support.memory;
    const conversation = await eventually(() => {
      const [only] = system?.listConversations() ?? [];
      if (only === undefined) throw new Error('no conversation yet');
      return only;
    });
    system?.reply(conversation.id, { text: 'agent here' });
    await eventually(async () => {
      const counts = await first.runtime.stores.chatbotStorage('busy').outbox.counts();
      expect(counts.pending).toBeGreaterThan(0);
    });
    expect((await first.runtime.stores.chatbotStorage('quiet').outbox.counts()).pending).toBe(0);
    await first.close();

    const second = await startRuntime(overrides, { delivery });
    cleanups.push(second.close);
    // The busy chatbot's engine runs at once, to deliver what it left; the quiet one waits for a request.
    await eventually(() => expect(second.runtime.servedChatbots.runningCount).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.runtime.servedChatbots.runningCount).toBe(1);
  });
});

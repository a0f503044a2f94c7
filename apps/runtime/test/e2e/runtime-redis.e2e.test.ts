import { chatwootSettingsFor, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { startRedisServer } from '@handoff/storage-redis/testing';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/config/demo-config.js';
import { runtimeConfigSchema } from '../../src/config/runtime-config.js';
import { createRuntime } from '../../src/runtime.js';
import { eventually, openEventStream, startRuntime, testToken } from '../support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  // Every write reaches the disk before Redis answers, so a killed Redis keeps what it acknowledged.
  const redis = await startRedisServer({ appendFsync: 'always' });
  cleanups.push(() => redis.stop());
  const fake = await startFakeChatwoot();
  cleanups.push(() => fake.close());
  const started = await startRuntime(
    {
      storage: { type: 'redis', url: redis.url, leaseMs: 2_000 },
      support: {
        type: 'chatwoot',
        name: 'chatwoot',
        catchUpIntervalMs: 0,
        chatwoot: { ...chatwootSettingsFor(fake), requestTimeoutMs: 2_000 },
      },
    },
    { delivery: { backoff: { initialDelayMs: 20, maxDelayMs: 200 } } },
  );
  cleanups.push(started.close);
  fake.setInbox({ webhookUrl: `${started.url}/v1/support/chatwoot/webhook` });
  fake.setAvailability(8, 'online');
  return { ...started, fake, redis };
}

describe('runtime on Redis: live events across instances', () => {
  it('passes an agent message delivered by instance A to an event stream held by instance B', async () => {
    const { user, fake, redis } = await setup();
    const alice = user('web', 'alice');
    await alice.say('human please');
    await alice.say('orders');
    const conversationId = await eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string' || fake.conversation(Number(id))?.status !== 'open')
        throw new Error('not handed off yet');
      return Number(id);
    });
    // Instance B serves HTTP but its delivery worker never runs: whatever its stream shows was
    // delivered by A and reached B through Redis.
    const second = await createRuntime({
      config: runtimeConfigSchema.parse({
        ...demoConfig,
        server: { host: '127.0.0.1', port: 0 },
        auth: { tokens: [{ name: 'test', token: testToken }] },
        logging: { level: 'silent' },
        storage: { type: 'redis', url: redis.url },
        support: {
          type: 'chatwoot',
          name: 'chatwoot',
          catchUpIntervalMs: 0,
          chatwoot: chatwootSettingsFor(fake),
        },
      }),
      env: {},
    });
    cleanups.push(() => second.close());
    const secondUrl = await second.app.listen({ host: '127.0.0.1', port: 0 });
    const stream = await openEventStream(`${secondUrl}/v1/channels/web/users/alice/events`);
    cleanups.push(() => stream.close());
    await eventually(() => {
      if (second.stores.hub.connections !== 1) throw new Error('stream not subscribed yet');
    });

    const agent = await request(
      `${fake.baseUrl}/api/v1/accounts/${fake.accountId}/conversations/${conversationId}/messages`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          api_access_token: fake.tokens.agent,
          'x-fake-chatwoot-harness': '1',
        },
        body: JSON.stringify({ content: 'Anna here, from instance A', message_type: 'outgoing' }),
      },
    );
    expect(agent.statusCode).toBe(200);
    await agent.body.dump();
    const event = await stream.next((candidate) => candidate.data.text === 'Anna here, from instance A');
    expect(event).toMatchObject({ event: 'message', data: { kind: 'agent' } });
    expect(Number(event.id)).toBeGreaterThan(0);
  });
});

describe('runtime on Redis', () => {
  it('keeps the in-process system in Redis across a restart, and refuses to run it on a second instance', async () => {
    const redis = await startRedisServer({ appendFsync: 'always' });
    cleanups.push(() => redis.stop());
    const storage = { type: 'redis' as const, url: redis.url, leaseMs: 2_000 };
    const first = await startRuntime({ storage, support: { type: 'in-process' } });
    const alice = first.user('web', 'alice');
    await alice.say('refund');
    await alice.say('agent');
    const conversationId = await eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string') throw new Error('not handed off yet');
      return id;
    });
    first.runtime.support.memory?.reply(conversationId, { text: 'kept in Redis' });
    await first.runtime.support.memory?.idle();
    // It lives in one process: a second instance on the same Redis does not start it.
    await expect(startRuntime({ storage, support: { type: 'in-process' } })).rejects.toThrow(
      /support\.type: another instance .* runs the in-process support system on this Redis; it lives in one process, so with several instances use an external support system \(chatwoot, intercom, sunshine, rocketchat\)/,
    );
    await first.close();
    const again = await startRuntime({ storage, support: { type: 'in-process' } });
    cleanups.push(again.close);
    expect(
      again.runtime.support.memory?.getConversation(conversationId)?.messages.map((message) => message.text),
    ).toContain('kept in Redis');
    expect(again.runtime.support.memory?.credentials).toEqual(first.runtime.support.memory?.credentials);
  }, 40_000);

  it('while Redis is away: readiness fails, calls get 503, and nothing acknowledged is lost', async () => {
    const { user, call, fake, redis } = await setup();
    const alice = user('web', 'alice');
    expect((await alice.say('human please')).json.mode).toBe('choosing-team');
    expect((await alice.say('orders')).status).toBe(200);
    const conversationId = await eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string' || fake.conversation(Number(id))?.status !== 'open')
        throw new Error('not handed off yet');
      return Number(id);
    });

    // Chatwoot fails every call, so the next two messages are acknowledged but still in the outbox.
    fake.setRandomFaults({ probability: 1, kinds: ['server_error'], seed: 1 });
    expect((await alice.say('first while Chatwoot fails', { id: 'm1' })).status).toBe(200);
    expect((await alice.say('second while Chatwoot fails', { id: 'm2' })).status).toBe(200);

    await redis.kill();
    expect((await call('GET', '/readyz')).status).toBe(503);
    const refused = await alice.say('third, while Redis is away', { id: 'm3' });
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ error: 'storage_unavailable' });
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.stringify(refused.json)).not.toContain('redis://');

    await redis.restart();
    await eventually(async () => {
      if ((await call('GET', '/readyz')).status !== 200) throw new Error('not ready yet');
    }, 10_000);
    fake.setRandomFaults(undefined);
    // The channel sends the refused message again, as told.
    expect((await alice.say('third, while Redis is away', { id: 'm3' })).status).toBe(200);

    const incoming = () =>
      (fake.conversation(conversationId)?.messages ?? [])
        .filter((message) => message.messageType === 'incoming')
        .map((message) => message.content);
    await eventually(() => {
      if (!incoming().includes('third, while Redis is away')) throw new Error(`so far: ${incoming()}`);
    }, 15_000);
    expect(incoming().slice(-3)).toEqual([
      'first while Chatwoot fails',
      'second while Chatwoot fails',
      'third, while Redis is away',
    ]);
  }, 40_000);
});

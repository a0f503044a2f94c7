// The runtime on PostgreSQL storage: a handoff to the fake Chatwoot and the agent's reply back,
// kept across a restart of the runtime, and an agent message delivered by one instance reaching
// an event stream held by another (LISTEN/NOTIFY).
import { chatwootSettingsFor, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { startPostgresServer } from '@handoff/storage-postgres/testing';
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
  const postgres = await startPostgresServer();
  cleanups.push(() => postgres.stop());
  const fake = await startFakeChatwoot();
  cleanups.push(() => fake.close());
  const support = {
    type: 'chatwoot',
    name: 'chatwoot',
    catchUpIntervalMs: 0,
    chatwoot: { ...chatwootSettingsFor(fake), requestTimeoutMs: 2_000 },
  } as const;
  const storage = { type: 'postgres', url: postgres.url, leaseMs: 2_000 } as const;
  const start = async () => {
    const started = await startRuntime(
      { storage, support },
      { delivery: { backoff: { initialDelayMs: 20, maxDelayMs: 200 } } },
    );
    fake.setInbox({ webhookUrl: `${started.url}/v1/support/chatwoot/webhook` });
    return started;
  };
  fake.setAvailability(8, 'online');
  return { start, fake, postgres, storage, support };
}

const agentSays = (
  fake: Awaited<ReturnType<typeof startFakeChatwoot>>,
  conversationId: number,
  text: string,
) =>
  request(`${fake.baseUrl}/api/v1/accounts/${fake.accountId}/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      api_access_token: fake.tokens.agent,
      'x-fake-chatwoot-harness': '1',
    },
    body: JSON.stringify({ content: text, message_type: 'outgoing' }),
  });

describe('runtime on PostgreSQL', () => {
  it('hands off, relays the agent, and keeps the session across a restart', async () => {
    const { start, fake } = await setup();
    const first = await start();
    const alice = first.user('web', 'alice');
    await alice.say('human please');
    await alice.say('orders');
    const conversationId = await eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string' || fake.conversation(Number(id))?.status !== 'open')
        throw new Error('not handed off yet');
      return Number(id);
    });
    await first.close();

    const second = await start();
    cleanups.push(second.close);
    const again = second.user('web', 'alice');
    expect((await again.session()).json).toMatchObject({
      mode: 'human',
      conversationId: String(conversationId),
    });
    const stream = await again.events(0);
    cleanups.push(() => stream.close());
    const answer = await agentSays(fake, conversationId, 'Anna here, after the restart');
    expect(answer.statusCode).toBe(200);
    await answer.body.dump();
    const event = await stream.next((candidate) => candidate.data.text === 'Anna here, after the restart');
    expect(event).toMatchObject({ event: 'message', data: { kind: 'agent' } });
  });

  it('passes an agent message delivered by instance A to an event stream held by instance B', async () => {
    const { start, fake, storage, support } = await setup();
    const first = await start();
    cleanups.push(first.close);
    const alice = first.user('web', 'alice');
    await alice.say('human please');
    await alice.say('orders');
    const conversationId = await eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string' || fake.conversation(Number(id))?.status !== 'open')
        throw new Error('not handed off yet');
      return Number(id);
    });
    const second = await createRuntime({
      config: runtimeConfigSchema.parse({
        ...demoConfig,
        server: { host: '127.0.0.1', port: 0 },
        auth: { tokens: [{ name: 'test', token: testToken }] },
        logging: { level: 'silent' },
        storage,
        support,
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
    const answer = await agentSays(fake, conversationId, 'Anna from another instance');
    expect(answer.statusCode).toBe(200);
    await answer.body.dump();
    const event = await stream.next((candidate) => candidate.data.text === 'Anna from another instance');
    expect(event).toMatchObject({ event: 'message', data: { kind: 'agent' } });
  });
});

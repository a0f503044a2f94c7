// Chatbot changes on Redis reach every instance within a second, without a restart: two runtimes on
// one Redis, a chatbot created and changed through instance A's admin API, used through instance B.
import { chatwootSettingsFor, type FakeChatwoot, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { type RedisServer, startRedisServer } from '@handoff/storage-redis/testing';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/config/demo-config.js';
import { runtimeConfigSchema } from '../../src/config/runtime-config.js';
import { createRuntime } from '../../src/runtime.js';
import { admin, adminToken, settingsOf } from '../support/admin-token.js';
import { cleanupsAfterEach } from '../support/cleanups.js';
import { routingTo } from '../support/order-routing.js';
import { eventually, testToken } from '../support/runtime-test-kit.js';

const keyPrefix = 'propagation';

const cleanups = cleanupsAfterEach();

const token = 'shop-web-token-0123456789abc';
const newToken = 'shop-web-token-rotated-0123456';
/**
 * A chatbot on its own Chatwoot (teams 1 support, 2 billing, 3 orders); its order questions go to
 * team 2. A system shared by the instances, as with several instances it must be: an in-process
 * system would live in one process only.
 */
const shopOn = (shopChatwoot: FakeChatwoot) => ({
  id: 'shop',
  name: 'Shop',
  channels: { web: { token } },
  support: { type: 'chatwoot', chatwoot: chatwootSettingsFor(shopChatwoot) },
  routing: routingTo('2'),
});

async function call(
  url: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await request(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the text says what it is.
  }
  return { status: response.statusCode, json, text, at: performance.now() };
}

/** A runtime on the shared Redis, listening on a free loopback port, with an admin token. */
async function startInstance(redis: RedisServer, fake: Awaited<ReturnType<typeof startFakeChatwoot>>) {
  const storage = { type: 'redis', url: redis.url, keyPrefix, leaseMs: 2_000 } as const;
  const config = runtimeConfigSchema.parse({
    ...demoConfig,
    server: { host: '127.0.0.1', port: 0 },
    auth: {
      tokens: [{ name: 'test', token: testToken }],
      adminTokens: [{ name: 'ops', token: adminToken }],
      rateLimitPerMinute: 1_000_000,
    },
    logging: { level: 'silent' },
    storage,
    // The configuration file's chatbot on a shared system: the in-process one runs on one instance only.
    support: {
      type: 'chatwoot',
      name: 'chatwoot',
      catchUpIntervalMs: 0,
      chatwoot: chatwootSettingsFor(fake),
    },
  });
  // It opens its own connections to Redis, as in production.
  const runtime = await createRuntime({
    config,
    env: {},
    delivery: { backoff: { initialDelayMs: 20, maxDelayMs: 200 } },
  });
  cleanups.push(() => runtime.close());
  const url = await runtime.listen();
  return { runtime, url };
}

type Instance = Awaited<ReturnType<typeof startInstance>>;

/** Redis, a fake Chatwoot for each chatbot, and instances A and B; shop created on A. */
async function setup() {
  const redis = await startRedisServer({ appendFsync: 'everysec' });
  cleanups.push(() => redis.stop());
  const fake = await startFakeChatwoot();
  cleanups.push(() => fake.close());
  const a = await startInstance(redis, fake);
  const b = await startInstance(redis, fake);
  const shopChatwoot = await startFakeChatwoot();
  cleanups.push(() => shopChatwoot.close());
  // Anna (billing) and Omar (orders) are at work; the webhooks reach B.
  shopChatwoot.setAvailability(7, 'online');
  shopChatwoot.setAvailability(8, 'online');
  shopChatwoot.setInbox({ webhookUrl: `${b.url}/v1/bots/shop/support/webhook` });
  const created = await call(a.url, 'POST', '/v1/admin/bots', shopOn(shopChatwoot), admin);
  expect(created.status, created.text).toBe(201);
  // B reads it from Redis, without a restart.
  expect((await call(b.url, 'GET', '/v1/admin/bots/shop', undefined, admin)).json).toMatchObject({
    id: 'shop',
    revision: 1,
  });
  return { a, b, shopChatwoot };
}

/** A user of the chatbot shop through an instance's channel API. */
function shopUser(instance: Instance, userId: string, bearerToken = token) {
  const base = `/v1/bots/shop/channels/web/users/${encodeURIComponent(userId)}`;
  const headers = { authorization: `Bearer ${bearerToken}` };
  return {
    id: userId,
    say: (text: string) => call(instance.url, 'POST', `${base}/messages`, { text }, headers),
    session: () => call(instance.url, 'GET', `${base}/session`, undefined, headers),
  };
}
type ShopUser = ReturnType<typeof shopUser>;

/** An order question, then a request for a person: the demo bot hands off with skill OrderStatus. */
async function handOff(user: ShopUser) {
  const asked = await user.say('where is my parcel');
  expect(asked.status, asked.text).toBe(200);
  expect(asked.json.mode).toBe('bot');
  const handedOff = await user.say('human please');
  expect(handedOff.status, handedOff.text).toBe(200);
  return handedOff;
}

/** The team of a user's handoff, as B's session answers it. */
async function teamOf(user: ShopUser) {
  const session = await user.session();
  expect(session.status, session.text).toBe(200);
  return (session.json.team as { id?: string } | undefined)?.id;
}

/** The conversations shop's Chatwoot received, with the user messages of each. */
function receivedConversations(shopChatwoot: FakeChatwoot) {
  const contacts = new Map(shopChatwoot.contacts().map((contact) => [contact.id, contact.identifier]));
  return shopChatwoot
    .conversations()
    .map((conversation) => ({
      userId: String(contacts.get(conversation.contactId)),
      ...(conversation.teamId === null ? {} : { teamId: String(conversation.teamId) }),
      status: conversation.status,
      texts: conversation.messages
        .filter((message) => message.messageType === 'incoming')
        .map((message) => message.content),
    }))
    .sort((left, right) => (left.userId < right.userId ? -1 : 1));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long the issue allows a change to take to reach every instance. */
const propagationLimitMs = 1_000;
/** How often B is asked whether the change reached it. */
const pollEveryMs = 25;

/**
 * Milliseconds from `since` (when the admin write answered) until the answer of the first request
 * through B that showed the change: `probe` sends it and says when it was answered, if it showed
 * it. Probes every 25 ms; Infinity if none showed it within three times the limit.
 */
async function timeUntilSeen(
  since: number,
  probe: (attempt: number) => Promise<{ seen: boolean; answeredAt: number }>,
) {
  for (let attempt = 0; ; attempt += 1) {
    const { seen, answeredAt } = await probe(attempt);
    const elapsed = answeredAt - since;
    if (seen) return elapsed;
    if (elapsed > 3 * propagationLimitMs) return Number.POSITIVE_INFINITY;
    await sleep(pollEveryMs);
  }
}

/** The settings of shop as A's admin API answers them, ready to send back with changes. */
async function shopSettingsOn(instance: Instance) {
  const read = await call(instance.url, 'GET', '/v1/admin/bots/shop', undefined, admin);
  expect(read.status, read.text).toBe(200);
  const settings = settingsOf(read.json);
  return settings;
}

describe('chatbot changes on Redis reach another instance within a second, without a restart', () => {
  it('routes B’s next handoffs by a routing replaced on A, and loses nothing sent through B meanwhile', async ({
    annotate,
  }) => {
    const { a, b, shopChatwoot } = await setup();
    // Handed off through B by the first routing: B's engine of shop runs, built with it.
    const early = [0, 1, 2].map((index) => shopUser(b, `early-${index}`));
    await Promise.all(early.map(handOff));
    expect(await Promise.all(early.map(teamOf))).toEqual(['2', '2', '2']);

    // Users who asked about an order already: each probe after the change is one request for a person.
    const probeUsers = Array.from({ length: 3 * (propagationLimitMs / pollEveryMs) }, (_, index) =>
      shopUser(b, `probe-${String(index).padStart(3, '0')}`),
    );
    for (const asked of await Promise.all(probeUsers.map((user) => user.say('where is my parcel'))))
      expect(asked.json.mode, asked.text).toBe('bot');

    const replacing = call(a.url, 'PUT', '/v1/admin/bots/shop/routing', routingTo('3'), admin);
    // Messages keep flowing through B while it changes.
    const during = early.map((user, index) => user.say(`still there? ${index}`));
    const replaced = await replacing;
    expect(replaced.status, replaced.text).toBe(200);
    const probes: Array<{ user: ShopUser; team: string | undefined }> = [];
    const elapsed = await timeUntilSeen(replaced.at, async (attempt) => {
      const user = probeUsers[attempt];
      if (user === undefined) throw new Error(`no probe user left after ${attempt} probes`);
      const handedOff = await user.say('human please');
      expect(handedOff.status, handedOff.text).toBe(200);
      // The team B chose when it answered; read from its session once answered.
      const team = await teamOf(user);
      probes.push({ user, team });
      return { seen: team === '3', answeredAt: handedOff.at };
    });
    await annotate(
      `routing: B routed by it ${elapsed.toFixed(0)} ms after A's answer, probe ${probes.length}`,
    );
    expect(elapsed, `B still routed by the old routing ${elapsed} ms after the change`).toBeLessThan(
      propagationLimitMs,
    );
    // Once B routes by it, it stays: every probe before went to the old team, none after to it.
    expect(probes.map((probe) => probe.team)).toEqual([...probes.slice(1).map(() => '2'), '3']);
    for (const answer of await Promise.all(during)) expect(answer.status, answer.text).toBe(200);
    const late = [0, 1].map((index) => shopUser(b, `late-${index}`));
    await Promise.all(late.map(handOff));
    expect(await Promise.all(late.map(teamOf))).toEqual(['3', '3']);

    // What the support system received: every handoff with the team B chose, every message in order.
    const expected = [
      ...early.map((user, index) => ({
        userId: user.id,
        teamId: '2',
        status: 'open',
        texts: ['where is my parcel', 'human please', `still there? ${index}`],
      })),
      ...[
        ...probes.map((probe) => ({ user: probe.user, team: probe.team })),
        ...late.map((user) => ({ user, team: '3' })),
      ].map(({ user, team }) => ({
        userId: user.id,
        teamId: team,
        status: 'open',
        texts: ['where is my parcel', 'human please'],
      })),
    ].sort((left, right) => (left.userId < right.userId ? -1 : 1));
    await eventually(() => expect(receivedConversations(shopChatwoot)).toEqual(expected), 10_000);
  });

  it('refuses the old channel token on B and takes the new one, once A replaced it', async ({ annotate }) => {
    const { a, b } = await setup();
    expect((await shopUser(b, 'alice').say('hello')).status).toBe(200);
    const settings = await shopSettingsOn(a);
    const rotated = await call(
      a.url,
      'PUT',
      '/v1/admin/bots/shop',
      { ...settings, channels: { web: { token: newToken } } },
      admin,
    );
    expect(rotated.status, rotated.text).toBe(200);
    const answers: Array<[number, number]> = [];
    const elapsed = await timeUntilSeen(rotated.at, async () => {
      const [old, renewed] = await Promise.all([
        shopUser(b, 'alice').say('hello'),
        shopUser(b, 'alice', newToken).say('hello'),
      ]);
      answers.push([old.status, renewed.status]);
      return { seen: renewed.status === 200, answeredAt: Math.max(old.at, renewed.at) };
    });
    await annotate(`channel token: B took the new one ${elapsed.toFixed(0)} ms after A's answer`);
    expect(elapsed, `B refused the new token ${elapsed} ms after the change`).toBeLessThan(
      propagationLimitMs,
    );
    // Before: the old token only; after: the new one only, never both.
    expect(answers).toEqual([...answers.slice(1).map(() => [200, 403]), [403, 200]]);
    expect((await shopUser(b, 'alice').say('hello')).status).toBe(403);
  });

  it('answers a handoff request through B with the support-off notice, once A turned support off', async ({
    annotate,
  }) => {
    const { a, b, shopChatwoot } = await setup();
    const held = shopUser(b, 'held');
    await handOff(held);
    expect(await teamOf(held)).toBe('2');
    const notice = 'The shop has no human support today.';
    const off = await call(
      a.url,
      'PUT',
      '/v1/admin/bots/shop',
      { ...(await shopSettingsOn(a)), supportEnabled: false, supportOffNotice: notice },
      admin,
    );
    expect(off.status, off.text).toBe(200);
    const modes: string[] = [];
    const elapsed = await timeUntilSeen(off.at, async (attempt) => {
      const answer = await handOff(shopUser(b, `off-probe-${attempt}`));
      const replies = (answer.json.replies as Array<{ text: string }> | undefined) ?? [];
      modes.push(String(answer.json.mode));
      return {
        seen: answer.json.mode === 'bot' && replies.some((reply) => reply.text === notice),
        answeredAt: answer.at,
      };
    });
    await annotate(`support off: B answered with the notice ${elapsed.toFixed(0)} ms after A's answer`);
    expect(elapsed, `B still handed off ${elapsed} ms after support was turned off`).toBeLessThan(
      propagationLimitMs,
    );
    expect(modes).toEqual([...modes.slice(1).map(() => 'human'), 'bot']);
    // Nothing of the handoff B refused reached the support system.
    const refusedUser = `off-probe-${modes.length - 1}`;
    expect(receivedConversations(shopChatwoot).map((conversation) => conversation.userId)).not.toContain(
      refusedUser,
    );
    // The session a human held (handed off through B) is back with the bot, and B's event stream
    // tells the user so.
    await eventually(async () => expect((await held.session()).json.mode).toBe('bot'));
    const stream = await request(`${b.url}/v1/bots/shop/channels/web/users/held/events?after=0`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const events: string[] = [];
    stream.body.on('data', (chunk: Buffer) => events.push(chunk.toString()));
    cleanups.push(async () => stream.body.destroy());
    await eventually(() => expect(events.join('')).toContain('You are talking to the bot again.'));
    // The agent finds it closed in Chatwoot, with a note saying why.
    const [conversation] = shopChatwoot
      .conversations()
      .filter(
        (candidate) =>
          candidate.contactId === shopChatwoot.contacts().find((c) => c.identifier === 'held')?.id,
      );
    await eventually(() => {
      const closed = shopChatwoot.conversation(Number(conversation?.displayId));
      expect(closed?.status).toBe('resolved');
      expect(JSON.stringify(closed?.messages)).toContain('Support was turned off for this chatbot');
    });
  });

  it('answers 404 on B once A deleted the chatbot', async ({ annotate }) => {
    const { a, b } = await setup();
    expect((await shopUser(b, 'alice').say('hello')).status).toBe(200);
    const deleted = await call(a.url, 'DELETE', '/v1/admin/bots/shop', undefined, admin);
    expect(deleted.json).toEqual({ deleted: 'shop' });
    const statuses: number[] = [];
    const elapsed = await timeUntilSeen(deleted.at, async () => {
      const answer = await shopUser(b, 'alice').say('hello');
      statuses.push(answer.status);
      return { seen: answer.status === 404, answeredAt: answer.at };
    });
    await annotate(`deleted: B answered 404 ${elapsed.toFixed(0)} ms after A's answer`);
    expect(elapsed, `B still served the deleted chatbot ${elapsed} ms after`).toBeLessThan(
      propagationLimitMs,
    );
    expect(statuses).toEqual([...statuses.slice(1).map(() => 200), 404]);
  });
});

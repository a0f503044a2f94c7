import { ConfigurationError } from '@handoff/core';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/config/demo-config.js';
import { runtimeConfigSchema } from '../../src/config/runtime-config.js';
import { createRuntime } from '../../src/runtime.js';
import { admin, adminToken } from '../support/admin-token.js';
import { logSink } from '../support/log-sink.js';
import { startRuntime, testToken } from '../support/runtime-test-kit.js';

const scopedToken = 'scoped-channel-token-0123456789';
const webToken = 'shop-web-channel-token-0123456789';
const supportToken = 'chatwoot-user-token-0123456789';
const routing = {
  defaultTeam: { team: '1', label: 'General' },
  teams: [{ team: '2', label: 'Billing', skills: ['Acme.Shop.Refund', 'Acme.Billing.*'] }],
};
const shop = {
  id: 'shop',
  name: 'Shop',
  bot: { type: 'demo' },
  channels: {
    web: {
      token: webToken,
      callbackUrl: 'https://shop.example/callback',
      callbackSecret: 'callback-secret-0123456789',
    },
  },
  // Support off: its settings are stored without being checked against a system (none runs here).
  supportEnabled: false,
  support: {
    type: 'chatwoot',
    chatwoot: {
      baseUrl: 'https://chatwoot.example',
      accountId: 1,
      inboxId: 2,
      userToken: supportToken,
      webhookSecret: 'chatwoot-webhook-secret-0123',
    },
  },
  routing,
};
const secretsOf = (value: typeof shop) => [
  value.channels.web.token,
  value.channels.web.callbackSecret,
  value.support.chatwoot.userToken,
  value.support.chatwoot.webhookSecret,
];

/** The path of the first issue of a 400's body. */
const firstIssuePath = (body: Record<string, unknown>) =>
  (body.issues as Array<{ path: string }> | undefined)?.[0]?.path;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function adminRuntime(options: { adminTokens?: Array<{ name: string; token: string }> } = {}) {
  const logs = logSink();
  const started = await startRuntime(
    {
      auth: {
        tokens: [
          { name: 'test', token: testToken },
          { name: 'scoped', token: scopedToken, channels: ['web'] },
        ],
        adminTokens: options.adminTokens ?? [{ name: 'ops', token: adminToken }],
        rateLimitPerMinute: 1_000_000,
      },
      logging: { level: 'info' },
    },
    { logStream: logs.stream },
  );
  cleanups.push(started.close);
  return { ...started, logs };
}

describe('admin API of chatbots: /v1/admin/bots', () => {
  it('creates, reads, lists, updates and deletes a chatbot, answering every secret as { set: true }', async () => {
    const { call, logs, runtime } = await adminRuntime();
    const created = await call('POST', '/v1/admin/bots', shop, admin);
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe('/v1/admin/bots/shop');
    expect(created.json).toMatchObject({
      id: 'shop',
      revision: 1,
      source: 'admin',
      name: 'Shop',
      bot: { type: 'demo' },
      channels: {
        web: {
          token: { set: true },
          callbackUrl: 'https://shop.example/callback',
          callbackSecret: { set: true },
        },
      },
      support: {
        type: 'chatwoot',
        chatwoot: {
          baseUrl: 'https://chatwoot.example',
          userToken: { set: true },
          webhookSecret: { set: true },
        },
      },
      routing: { defaultTeam: { team: '1', label: 'General' } },
    });

    const read = await call('GET', '/v1/admin/bots/shop', undefined, admin);
    expect(read.json).toEqual(created.json);
    const listed = await call('GET', '/v1/admin/bots', undefined, admin);
    expect(
      (listed.json.items as Array<{ id: string; source: string }>).map((bot) => [bot.id, bot.source]),
    ).toEqual([
      ['default', 'configuration'],
      ['shop', 'admin'],
    ]);

    // An update that leaves the secrets out (or sends back what it read) keeps them.
    const { id: _id, ...settings } = shop;
    const renamed = {
      ...settings,
      name: 'Shop 2',
      channels: { web: { token: { set: true }, callbackUrl: 'https://shop.example/v2' } },
      support: {
        type: 'chatwoot',
        chatwoot: { ...shop.support.chatwoot, userToken: undefined, webhookSecret: undefined },
      },
    };
    const updated = await call('PUT', '/v1/admin/bots/shop', JSON.parse(JSON.stringify(renamed)), {
      ...admin,
      'if-match': '"1"',
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({
      revision: 2,
      name: 'Shop 2',
      channels: { web: { callbackUrl: 'https://shop.example/v2', callbackSecret: { set: true } } },
    });
    const kept = await runtime.chatbots.settings('shop');
    expect(kept?.settings.channels.web?.token).toBe(webToken);
    expect(kept?.settings.channels.web?.callbackSecret).toBe(shop.channels.web.callbackSecret);
    expect(kept?.settings.support).toMatchObject({ chatwoot: { userToken: supportToken } });

    const stale = await call('PUT', '/v1/admin/bots/shop', JSON.parse(JSON.stringify(renamed)), {
      ...admin,
      'if-match': '"1"',
    });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ error: 'conflict' });

    expect(
      (await call('DELETE', '/v1/admin/bots/shop', undefined, { ...admin, 'if-match': '"1"' })).status,
    ).toBe(409);
    expect((await call('DELETE', '/v1/admin/bots/shop', undefined, admin)).json).toEqual({ deleted: 'shop' });
    expect((await call('GET', '/v1/admin/bots/shop', undefined, admin)).status).toBe(404);

    // Never answered, never logged; sealed at rest.
    const everything = JSON.stringify([created.json, read.json, listed.json, updated.json, logs.lines]);
    for (const secret of secretsOf(shop)) expect(everything).not.toContain(secret);
    expect(logs.lines.some((line) => line.msg === 'chatbot created' && line.bot === 'shop')).toBe(true);
  });

  it('keeps secrets sealed with AES-256-GCM in the store', async () => {
    const { call, runtime } = await adminRuntime();
    await call('POST', '/v1/admin/bots', shop, admin);
    const stored = await runtime.stores.chatbots.get('shop');
    for (const secret of secretsOf(shop)) expect(stored?.document).not.toContain(secret);
    expect(stored?.document).toMatch(/"token":"sealed:v1:[\w-]+\.[\w-]+\.[\w-]+"/);
  });

  it('pages the list: limit, then after the next it gave', async () => {
    const { call } = await adminRuntime();
    for (const id of ['c-bot', 'a-bot', 'e-bot']) {
      expect((await call('POST', '/v1/admin/bots', { ...shop, id }, admin)).status).toBe(201);
    }
    const first = await call('GET', '/v1/admin/bots?limit=2', undefined, admin);
    expect((first.json.items as Array<{ id: string }>).map((bot) => bot.id)).toEqual(['a-bot', 'c-bot']);
    expect(first.json.next).toBe('c-bot');
    const second = await call('GET', '/v1/admin/bots?limit=2&after=c-bot', undefined, admin);
    expect((second.json.items as Array<{ id: string }>).map((bot) => bot.id)).toEqual(['default', 'e-bot']);
    expect(second.json.next).toBeUndefined();
  });

  it('is its own scope: channel tokens get 403, unknown ones 401, admin tokens cannot use the channel API', async () => {
    const { call } = await adminRuntime();
    for (const token of [testToken, scopedToken]) {
      for (const [method, path] of [
        ['GET', '/v1/admin/bots'],
        ['POST', '/v1/admin/bots'],
        ['GET', '/v1/admin/bots/default'],
        ['PUT', '/v1/admin/bots/shop'],
        ['DELETE', '/v1/admin/bots/shop'],
      ] as const) {
        const answer = await call(method, path, method === 'POST' || method === 'PUT' ? shop : undefined, {
          authorization: `Bearer ${token}`,
        });
        expect([method, path, token, answer.status, answer.json.error]).toEqual([
          method,
          path,
          token,
          403,
          'forbidden',
        ]);
      }
    }
    expect(
      (await call('GET', '/v1/admin/bots', undefined, { authorization: 'Bearer not-a-token-0123456789' }))
        .status,
    ).toBe(401);
    expect((await call('GET', '/v1/admin/bots', undefined, { authorization: '' })).status).toBe(401);
    const channel = await call('POST', '/v1/channels/web/users/alice/messages', { text: 'hi' }, admin);
    expect(channel.status).toBe(401);
  });

  it('refuses every request when no admin token is configured', async () => {
    const { call } = await adminRuntime({ adminTokens: [] });
    expect((await call('GET', '/v1/admin/bots')).status).toBe(403);
    expect((await call('GET', '/v1/admin/bots', undefined, admin)).status).toBe(401);
  });

  it('answers 400 naming the field of an invalid chatbot', async () => {
    const { call } = await adminRuntime();
    const cases: Array<[unknown, string]> = [
      [{ ...shop, name: undefined }, 'name'],
      [{ ...shop, id: 'Not An Id' }, 'id'],
      [{ ...shop, bot: { type: 'ftp' } }, 'bot.type'],
      [{ ...shop, bot: { type: 'http', url: 'not a url' } }, 'bot.url'],
      [{ ...shop, channels: { web: { token: 'short' } } }, 'channels.web.token'],
      [
        { ...shop, channels: { web: { token: webToken, callbackUrl: 'https://x.example/cb' } } },
        'channels.web.callbackSecret',
      ],
      [
        { ...shop, support: { type: 'chatwoot', chatwoot: { ...shop.support.chatwoot, inboxId: 'x' } } },
        'support.chatwoot.inboxId',
      ],
      [{ ...shop, routing: { teams: [] } }, 'routing.defaultTeam'],
      [
        { ...shop, routing: { ...routing, teams: [{ team: '2', skills: ['refund'] }] } },
        'routing.teams[0].skills[0]',
      ],
      [
        {
          ...shop,
          routing: {
            ...routing,
            teams: [
              { team: '2', skills: ['A.B.C'] },
              { team: '3', skills: ['A.B.C'] },
            ],
          },
        },
        'routing.teams[1].skills[0]',
      ],
      [{ ...shop, extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const answer = await call('POST', '/v1/admin/bots', body, admin);
      expect([field, answer.status, answer.json.error]).toEqual([field, 400, 'invalid_request']);
      expect(String(answer.json.message).startsWith(`${field}:`), `${field}: ${answer.json.message}`).toBe(
        true,
      );
    }
    expect((await call('GET', '/v1/admin/bots', undefined, admin)).json.items).toHaveLength(1);
  });

  it('checks support settings against the system when support is on, naming the field it refused', async () => {
    const { call } = await adminRuntime();
    const unreachable = {
      ...shop,
      supportEnabled: true,
      support: {
        type: 'chatwoot',
        chatwoot: { ...shop.support.chatwoot, baseUrl: 'http://127.0.0.1:9', requestTimeoutMs: 2_000 },
      },
    };
    const refused = await call('POST', '/v1/admin/bots', unreachable, admin);
    expect(refused.status).toBe(400);
    expect(String(refused.json.message)).toMatch(
      /^support\.chatwoot\.baseUrl: the support system refused the settings \(network\)/,
    );
    expect(JSON.stringify(refused.json)).not.toContain(supportToken);
    expect((await call('GET', '/v1/admin/bots/shop', undefined, admin)).status).toBe(404);
    // Stored with support off; turning it on is checked too.
    expect(
      (await call('POST', '/v1/admin/bots', { ...unreachable, supportEnabled: false }, admin)).status,
    ).toBe(201);
    const { id: _id, ...settings } = unreachable;
    expect((await call('PUT', '/v1/admin/bots/shop', settings, admin)).json.message).toMatch(
      /^support\.chatwoot\.baseUrl:/,
    );
  });

  it('checks the routing’s teams against the system’s on create and on every update that leaves support on', async () => {
    const { call } = await adminRuntime();
    const teams = [
      { id: 'sales', name: 'Sales' },
      { id: 'care', name: 'Care' },
    ];
    const inProcess = {
      ...shop,
      supportEnabled: true,
      support: { type: 'in-process', teams },
      routing: {
        defaultTeam: { team: 'care', label: 'Care' },
        teams: [{ team: 'billing', label: 'Billing', skills: ['Acme.Shop.Refund'] }],
      },
    };
    const refused = await call('POST', '/v1/admin/bots', inProcess, admin);
    expect(refused.status).toBe(400);
    expect(refused.json.issues).toEqual([
      {
        path: 'routing.teams[0].team',
        message: 'the support system has no team billing; valid: sales (Sales), care (Care)',
      },
    ]);
    expect((await call('GET', '/v1/admin/bots/shop', undefined, admin)).status).toBe(404);
    const good = { ...inProcess.routing, teams: [{ ...inProcess.routing.teams[0], team: 'sales' }] };
    expect((await call('POST', '/v1/admin/bots', { ...inProcess, routing: good }, admin)).status).toBe(201);
    const { id: _id, ...settings } = inProcess;
    // A full update changing only the routing is checked too.
    const update = await call(
      'PUT',
      '/v1/admin/bots/shop',
      { ...settings, routing: inProcess.routing },
      admin,
    );
    expect([update.status, firstIssuePath(update.json)]).toEqual([400, 'routing.teams[0].team']);
    // Changing the teams of the system under a routing that names a team it drops: refused.
    const fewer = { ...settings, routing: good, support: { type: 'in-process', teams: [teams[1]] } };
    const dropped = await call('PUT', '/v1/admin/bots/shop', fewer, admin);
    expect([dropped.status, firstIssuePath(dropped.json)]).toEqual([400, 'routing.teams[0].team']);
    // With support off nothing is checked; turning it on checks the routing stored with it.
    const off = await call('PUT', '/v1/admin/bots/shop', { ...fewer, supportEnabled: false }, admin);
    expect(off.status).toBe(200);
    const on = await call('PUT', '/v1/admin/bots/shop', { ...fewer, supportEnabled: true }, admin);
    expect([on.status, firstIssuePath(on.json)]).toEqual([400, 'routing.teams[0].team']);
    expect((await call('GET', '/v1/admin/bots/shop', undefined, admin)).json.supportEnabled).toBe(false);
  });

  it('shows the configuration file’s chatbot as default, and leaves it to the file', async () => {
    const { call } = await adminRuntime();
    const read = await call('GET', '/v1/admin/bots/default', undefined, admin);
    expect(read.json).toMatchObject({
      id: 'default',
      source: 'configuration',
      support: { type: 'in-process' },
    });
    const { id: _id, ...settings } = shop;
    expect((await call('PUT', '/v1/admin/bots/default', settings, admin)).json).toMatchObject({
      error: 'read_only',
    });
    expect((await call('POST', '/v1/admin/bots', { ...shop, id: 'default' }, admin)).status).toBe(409);
    expect((await call('DELETE', '/v1/admin/bots/default', undefined, admin)).status).toBe(409);
    expect((await call('POST', '/v1/admin/bots', shop, admin)).status).toBe(201);
    expect((await call('POST', '/v1/admin/bots', shop, admin)).json).toMatchObject({ error: 'conflict' });
  });
});

describe('limits per chatbot', () => {
  it('limits each chatbot’s channel on its own: one chatbot’s burst is refused with 429, another’s goes on', async () => {
    const started = await startRuntime({
      auth: {
        tokens: [{ name: 'test', token: testToken }],
        adminTokens: [{ name: 'ops', token: adminToken }],
        rateLimitPerMinute: 20,
      },
    });
    cleanups.push(started.close);
    const { call } = started;
    const { supportEnabled: _off, support: _support, ...inProcess } = shop;
    for (const id of ['burst', 'calm']) {
      const token = `${id}-channel-token-0123456789`;
      expect(
        (await call('POST', '/v1/admin/bots', { ...inProcess, id, channels: { web: { token } } }, admin))
          .status,
      ).toBe(201);
    }
    const say = (bot: string) =>
      call(
        'POST',
        `/v1/bots/${bot}/channels/web/users/alice/messages`,
        { text: 'hi' },
        { authorization: `Bearer ${bot}-channel-token-0123456789` },
      );
    const statuses: number[] = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await say('burst')).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await say('burst');
    expect(limited.json).toMatchObject({ error: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await say('calm')).status).toBe(200);
  });
});

describe('the secrets key: HANDOFF_SECRETS_KEY', () => {
  const reachable = () =>
    runtimeConfigSchema.parse({
      ...demoConfig,
      storage: { type: 'memory' },
      server: { host: '0.0.0.0', port: 0 },
      auth: { tokens: [{ name: 'ops', token: 'Zq8#kP2m@Lx9vR4t!Wc7' }] },
      logging: { level: 'silent' },
    });

  it('is required on a host other machines reach, and must be 32 bytes', async () => {
    const missing = await createRuntime({ config: reachable(), env: {} }).catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(missing)).toBe(true);
    expect(String(missing)).toMatch(/HANDOFF_SECRETS_KEY: is required on a host other machines reach/);
    const short = await createRuntime({ config: reachable(), env: { HANDOFF_SECRETS_KEY: 'abcd' } }).catch(
      (caught: unknown) => caught,
    );
    expect(String(short)).toMatch(/HANDOFF_SECRETS_KEY: must be 32 bytes/);
    for (const key of [Buffer.alloc(32, 7).toString('hex'), Buffer.alloc(32, 9).toString('base64')]) {
      const runtime = await createRuntime({ config: reachable(), env: { HANDOFF_SECRETS_KEY: key } });
      cleanups.push(() => runtime.close());
    }
  });

  it('is generated once per installation on loopback, saying so', async () => {
    const { logs } = await adminRuntime();
    expect(logs.lines.some((line) => String(line.msg).startsWith('HANDOFF_SECRETS_KEY is not set'))).toBe(
      true,
    );
  });
});

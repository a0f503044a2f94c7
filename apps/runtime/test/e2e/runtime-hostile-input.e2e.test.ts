import { signTimestampedBody } from '@handoff/http';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(overrides: Parameters<typeof startRuntime>[0] = {}) {
  const started = await startRuntime(overrides);
  cleanups.push(started.close);
  return started;
}

const messages = '/v1/channels/web/users/alice/messages';

describe('hostile input on the channel API', () => {
  const refused: Array<[string, string, number, string]> = [
    ['truncated JSON', '{"text": "hi"', 400, 'invalid_request'],
    ['a JSON string instead of an object', '"hello"', 400, 'invalid_request'],
    ['JSON null', 'null', 400, 'invalid_request'],
    ['an array', '[1,2,3]', 400, 'invalid_request'],
    ['a number for text', '{"text": 12}', 400, 'invalid_request'],
    ['an object for text', '{"text": {"$gt": ""}}', 400, 'invalid_request'],
    ['a NUL character', '{"text": "before\\u0000after"}', 400, 'invalid_request'],
    ['an unpaired high surrogate', '{"text": "broken \\ud800 text"}', 400, 'invalid_request'],
    ['an unpaired low surrogate', '{"text": "broken \\udfff text"}', 400, 'invalid_request'],
    [
      'deeply nested profile attributes',
      `{"text":"hi","profile":{"attributes":{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}}}`,
      400,
      'invalid_request',
    ],
    [
      'nesting deep enough to exhaust a recursive parser',
      `{"text":${'['.repeat(400_000)}${']'.repeat(400_000)}}`,
      400,
      'invalid_request',
    ],
    ['a prototype-polluting key', '{"text":"hi","__proto__":{"admin":true}}', 400, 'invalid_request'],
  ];
  for (const [what, body, status, code] of refused) {
    it(`answers ${status} with the reason for ${what}`, async () => {
      const { call } = await setup({
        server: { host: '127.0.0.1', port: 0, bodyLimitBytes: 2 * 1024 * 1024 },
      });
      const response = await call('POST', messages, body);
      expect(response.status).toBe(status);
      expect(response.json).toMatchObject({ error: code, message: expect.any(String) });
      expect(String(response.json.message).length).toBeGreaterThan(5);
    });
  }

  it('names the field for a NUL and an unpaired surrogate', async () => {
    const { call } = await setup();
    expect((await call('POST', messages, '{"text": "a\\u0000b"}')).json.message).toBe(
      'text: must not contain NUL characters',
    );
    expect((await call('POST', messages, '{"text": "a\\ud800b"}')).json.message).toBe(
      'text: must not contain unpaired UTF-16 surrogates',
    );
  });

  it('refuses a body in another media type with 415', async () => {
    const { call } = await setup();
    const response = await call('POST', messages, 'text=hi', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(415);
  });

  it('keeps emoji, right-to-left text and combining marks intact all the way to the agent', async () => {
    const { user, runtime } = await setup();
    const text = 'שלום 👋🏽 مرحبا e\u0301 \u202Eevil\u202C 𝕳𝖊𝖑𝖑𝖔';
    const alice = user('web', 'alice');
    await alice.say('agent');
    await alice.say('billing');
    await alice.say(text);
    await eventually(() => {
      const [conversation] = runtime.support.memory?.listConversations({ status: 'open' }) ?? [];
      expect(conversation?.messages.at(-1)?.text).toBe(text);
    });
  });

  it('limits requests per token with 429 and Retry-After', async () => {
    const { call } = await setup({
      auth: { tokens: [{ name: 'test', token: 'test-token-0123456789abcdef' }], rateLimitPerMinute: 60 },
    });
    const statuses: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      const response = await call('GET', '/v1/channels/web/users/alice/session');
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.json.error).toBe('rate_limited');
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 6)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(statuses.slice(6)).toEqual([429, 429]);
  });

  it('never answers 5xx, never hangs, whatever arrives (seeded fuzz over every route)', async () => {
    const { url } = await setup();
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      '"',
      ':',
      ',',
      'text',
      'id',
      'null',
      '1e999',
      '-0',
      '\\u0000',
      '\\ud800',
      '😀',
      '\u202e',
      'true',
      '"x"',
      '\n',
      ' ',
    ];
    const routes = [
      ['POST', messages],
      ['POST', '/v1/channels/web/users/alice/close'],
      ['GET', '/v1/channels/web/users/alice/session'],
      ['POST', '/v1/support/memory/webhook'],
      ['POST', '/v1/console/conversations/1/reply'],
      ['GET', '/v1/console/conversations?status=%00'],
      ['POST', '/v1/channels/%00/users/%2F/messages'],
    ] as const;
    const types = [
      'application/json',
      'text/plain',
      'application/octet-stream',
      'application/json; charset=latin1',
    ];
    for (let index = 0; index < 150; index += 1) {
      const [method, path] = routes[Math.floor(random() * routes.length)] ?? routes[0];
      const body = Array.from(
        { length: 1 + Math.floor(random() * 30) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('');
      const response = await request(`${url}${path}`, {
        method,
        headers: {
          authorization: 'Bearer test-token-0123456789abcdef',
          'content-type': types[Math.floor(random() * types.length)] ?? 'application/json',
        },
        ...(method === 'POST' ? { body } : {}),
        signal: AbortSignal.timeout(5_000),
      });
      await response.body.dump();
      expect(response.statusCode, `${method} ${path} with ${JSON.stringify(body)}`).toBeLessThan(500);
    }
  });
});

describe('hostile input on the support webhook', () => {
  // The in-process system has no default secret: the test configures one it can sign with.
  const webhookSecret = 'memory-webhook-secret-of-the-tests';
  const withSecret = { support: { type: 'in-process' as const, webhookSecret } };
  const signed = (body: string, options: { timestamp?: number; delivery?: string; secret?: string } = {}) => {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return {
      'content-type': 'application/json',
      'x-memory-delivery': options.delivery ?? crypto.randomUUID(),
      'x-memory-timestamp': String(timestamp),
      'x-memory-signature': signTimestampedBody({
        secret: options.secret ?? webhookSecret,
        timestamp,
        body,
      }),
    };
  };
  const post = async (url: string, body: string, headers: Record<string, string>) => {
    const response = await request(`${url}/v1/support/memory/webhook`, { method: 'POST', headers, body });
    return {
      status: response.statusCode,
      json: (await response.body.json()) as { error?: string; message?: string },
    };
  };
  const event = JSON.stringify({
    event: 'typing',
    conversation: { id: '1', attributes: {} },
    agent: { id: 'a', name: 'A' },
    typing: true,
  });

  it('refuses a wrong secret, a stale timestamp and a replay, each with its reason', async () => {
    const { url } = await setup(withSecret);
    expect(await post(url, event, signed(event, { secret: 'guessed-secret' }))).toMatchObject({
      status: 401,
      json: { error: 'invalid_signature' },
    });
    const stale = Math.floor(Date.now() / 1000) - 3_600;
    expect(await post(url, event, signed(event, { timestamp: stale }))).toMatchObject({
      status: 401,
      json: { error: 'stale_timestamp' },
    });
    const headers = signed(event, { delivery: 'delivery-1' });
    expect((await post(url, event, headers)).status).toBe(200);
    expect(await post(url, event, headers)).toMatchObject({
      status: 409,
      json: { error: 'replayed_delivery' },
    });
  });

  it('refuses a signed body that is not JSON, and ignores a signed event it cannot read', async () => {
    const { url } = await setup(withSecret);
    expect(await post(url, '{"event":', signed('{"event":'))).toMatchObject({
      status: 400,
      json: { error: 'malformed_body' },
    });
    const odd = JSON.stringify({ event: 'message.created', conversation: 5 });
    expect(await post(url, odd, signed(odd))).toMatchObject({ status: 200 });
  });
});

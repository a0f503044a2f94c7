import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime, testToken } from '../support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const started = await startRuntime();
  cleanups.push(started.close);
  /** Sends raw bytes (or a raw path), as a client that does not encode them would. */
  const raw = async (
    method: 'GET' | 'POST',
    path: string,
    body?: Uint8Array,
    headers: Record<string, string> = {},
  ) => {
    const response = await request(`${started.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${testToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });
    return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
  };
  return { ...started, raw };
}

/** JSON text whose `BAD` is replaced by bytes that are not UTF-8. */
const withBadBytes = (json: string, bad: number[] = [0xff]) => {
  const [before = '', after = ''] = json.split('BAD');
  return new Uint8Array(Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]));
};

const messages = '/v1/channels/web/users/alice/messages';

describe('one text rule for every route', () => {
  it('names the field for NUL and unpaired surrogates on every text: close note, profile, attachment, console', async () => {
    const { call, user, runtime } = await setup();
    const refusal = async (path: string, body: unknown) => (await call('POST', path, body)).json.message;
    expect(await refusal('/v1/channels/web/users/alice/close', { note: 'bye\u0000' })).toBe(
      'note: must not contain NUL characters',
    );
    expect(await refusal(messages, { text: 'hi', profile: { name: 'Al\ud800ice' } })).toBe(
      'profile.name: must not contain unpaired UTF-16 surrogates',
    );
    expect(await refusal(messages, { text: 'hi', profile: { attributes: { 'pl\u0000an': 'gold' } } })).toBe(
      'profile.attributes: property names must not contain NUL characters',
    );
    expect(await refusal(messages, { text: 'hi', profile: { attributes: { plan: 'go\udc00ld' } } })).toBe(
      'profile.attributes.plan: must not contain unpaired UTF-16 surrogates',
    );
    const attachment = {
      url: 'https://files.example/a.pdf',
      contentType: 'application/pdf',
      name: 'a\u0000.pdf',
    };
    expect(await refusal(messages, { text: 'hi', attachments: [attachment] })).toBe(
      'attachments[0].name: must not contain NUL characters',
    );
    expect(await refusal(messages, { id: 'id\u0000', text: 'hi' })).toBe(
      'id: must not contain NUL characters',
    );

    const alice = user('web', 'alice');
    await alice.say('agent');
    await alice.say('billing');
    const conversationId = String((await alice.session()).json.conversationId);
    const consolePath = `/v1/console/conversations/${conversationId}`;
    expect(await refusal(`${consolePath}/reply`, { text: 'hello \ud83d' })).toBe(
      'text: must not contain unpaired UTF-16 surrogates',
    );
    expect(await refusal(`${consolePath}/note`, { text: 'summary\u0000' })).toBe(
      'text: must not contain NUL characters',
    );
    expect(await refusal(`${consolePath}/assign`, { agentId: '\u0000' })).toBe(
      'agentId: must not contain NUL characters',
    );
    expect((await call('GET', '/v1/console/conversations?teamId=%00')).json.message).toBe(
      'query teamId: must not contain NUL characters',
    );
    expect((await call('POST', '/v1/admin/parked/%00/retry')).json.message).toBe(
      'path id: must not contain NUL characters',
    );
    // None of it reached the conversation.
    const texts = runtime.support.memory
      ?.getConversation(conversationId)
      ?.messages.map((message) => message.text);
    expect(texts?.some((text) => text.includes('\u0000') || text.includes('hello'))).toBe(false);
  });

  it('refuses bytes that are not UTF-8 in a JSON body, naming the field, and stores nothing', async () => {
    const { raw, runtime } = await setup();
    expect(await raw('POST', messages, withBadBytes('{"text":"hello BAD"}'))).toEqual({
      status: 400,
      json: {
        error: 'invalid_request',
        message: 'text: is not valid UTF-8',
        issues: [{ path: 'text', message: 'is not valid UTF-8' }],
      },
    });
    expect(
      (await raw('POST', messages, withBadBytes('{"text":"hi","profile":{"name":"BAD"}}', [0xc0, 0xaf]))).json
        .message,
    ).toBe('profile.name: is not valid UTF-8');
    expect((await raw('POST', messages, withBadBytes('{"text":"hi"}BAD'))).json.message).toBe(
      'body: is not valid UTF-8',
    );
    expect(
      (
        await raw(
          'POST',
          '/v1/channels/web/users/alice/close',
          withBadBytes('{"note":"BAD"}', [0xed, 0xa0, 0x80]),
        )
      ).json.message,
    ).toBe('note: is not valid UTF-8');
    expect(
      (await raw('POST', messages, withBadBytes('BAD'), { 'content-type': 'text/plain' })).json.message,
    ).toBe('body: is not valid UTF-8');
    expect(await runtime.engine.getSession({ channelId: 'web', userId: 'alice' })).toBeUndefined();
  });

  it('refuses path and query parameters whose %-escapes are not UTF-8, naming them', async () => {
    const { raw } = await setup();
    expect(await raw('GET', '/v1/channels/web/users/al%FFice/session')).toEqual({
      status: 400,
      json: {
        error: 'invalid_request',
        message: 'path userId: is not valid UTF-8',
        issues: [{ path: 'userId', message: 'is not valid UTF-8' }],
      },
    });
    expect((await raw('GET', '/v1/channels/%ED%A0%80/users/alice/session')).json.message).toBe(
      'path channelId: is not valid UTF-8',
    );
    expect((await raw('GET', '/v1/console/conversations?status=open&teamId=%E2%82')).json.message).toBe(
      'query teamId: is not valid UTF-8',
    );
  });

  it('keeps valid text as it is: a U+FFFD the user typed, and ids as long as the routes take', async () => {
    const { user, raw, runtime } = await setup();
    const alice = user('web', 'alice');
    await alice.say('agent');
    await alice.say('billing');
    expect((await raw('POST', messages, new Uint8Array(Buffer.from('{"text":"a \uFFFD b"}')))).status).toBe(
      200,
    );
    await eventually(() => {
      const [conversation] = runtime.support.memory?.listConversations({ status: 'open' }) ?? [];
      expect(conversation?.messages.at(-1)?.text).toBe('a \uFFFD b');
    });
    // 200 characters, once ASCII and once Chinese (1,800 characters percent-encoded).
    for (const userId of ['u'.repeat(200), '中'.repeat(200)]) {
      expect((await user('web', userId).say('hello')).status, userId.slice(0, 3)).toBe(200);
    }
  });

  it('reads a file name as UTF-8, raw or percent-encoded, and refuses one that is not', async () => {
    const { url } = await setup();
    const upload = async (name: string) => {
      const response = await request(`${url}/v1/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${testToken}`, 'content-type': 'text/plain', 'x-file-name': name },
        body: 'hello',
      });
      return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
    };
    // Raw UTF-8 bytes arrive in Node as one character per byte; they are read back as UTF-8.
    expect((await upload(Buffer.from('März.txt').toString('latin1'))).json.name).toBe('März.txt');
    expect((await upload(encodeURIComponent('Grüße 😀.txt'))).json.name).toBe('Grüße 😀.txt');
    expect((await upload('100%.txt')).json.name).toBe('100%.txt');
    expect((await upload('M\u00e4rz.txt')).json).toMatchObject({
      error: 'invalid_request',
      message: 'x-file-name: is not valid UTF-8; send the name percent-encoded',
    });
    expect((await upload('a%FF.txt')).status).toBe(400);
    expect((await upload('a%00.txt')).json.message).toBe('x-file-name: must not contain NUL characters');
    expect((await upload('x'.repeat(256))).json.message).toBe('x-file-name: must be at most 255 characters');
  });
});

/**
 * Test support: a fresh fake Chatwoot for each test of a file (started before, closed after), and
 * JSON requests to it as a provisioner or an agent's browser would send them.
 */
import { request } from 'undici';
import { afterEach, beforeEach } from 'vitest';
import { type FakeChatwoot, startFakeChatwoot } from '../src/testing/index.js';

export interface FakeChatwootPerTest {
  /** A request with an optional `api_access_token` and JSON body; the status and the parsed body. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<{ status: number; body: unknown }>;
  /** A Platform API request (`/platform/api/v1`), with the platform app's token unless another is given. */
  platform(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: unknown }>;
}

/** Registers the hooks in the calling test file; `started` gets each test's fake before the test runs. */
export function useFakeChatwootPerTest(started: (fake: FakeChatwoot) => void): FakeChatwootPerTest {
  let current: FakeChatwoot | undefined;
  beforeEach(async () => {
    current = await startFakeChatwoot();
    started(current);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const running = (): FakeChatwoot => {
    if (current === undefined) throw new Error('the fake Chatwoot runs only inside a test');
    return current;
  };
  const call: FakeChatwootPerTest['call'] = async (method, path, options = {}) => {
    const response = await request(`${running().baseUrl}${path}`, {
      method: method as 'GET',
      headers: {
        accept: 'application/json',
        ...(options.token === undefined ? {} : { api_access_token: options.token }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  return {
    call,
    platform: (method, path, body, token = running().tokens.platform) =>
      call(method, `/platform/api/v1${path}`, { token, body }),
  };
}

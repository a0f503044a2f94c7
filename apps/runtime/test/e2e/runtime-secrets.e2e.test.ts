import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@handoff/core';
import { signTimestampedBody } from '@handoff/http';
import { request } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/config/demo-config.js';
import { runtimeConfigSchema } from '../../src/config/runtime-config.js';
import { weakness } from '../../src/config/secret-strength.js';
import { createRuntime } from '../../src/runtime.js';
import { startRuntime } from '../support/runtime-test-kit.js';

const directory = mkdtempSync(join(tmpdir(), 'handoff-secrets-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A webhook for the in-process system, signed with `secret`. */
function signedEvent(secret: string) {
  const body = JSON.stringify({
    event: 'message.created',
    conversation: { id: '1', attributes: {} },
    message: {
      id: '999',
      author: 'agent',
      private: false,
      text: 'forged',
      createdAt: new Date().toISOString(),
    },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-memory-delivery': crypto.randomUUID(),
      'x-memory-timestamp': String(timestamp),
      'x-memory-signature': signTimestampedBody({ secret, timestamp, body }),
    },
  };
}

describe('runtime: no default secrets', () => {
  it('refuses a webhook signed with the old documented default secret of the in-process system', async () => {
    const { url, close } = await startRuntime();
    cleanups.push(close);
    const forged = signedEvent('memory-webhook-secret');
    const response = await request(`${url}/v1/support/memory/webhook`, { method: 'POST', ...forged });
    expect(response.statusCode).toBe(401);
    expect(await response.body.json()).toMatchObject({ error: 'invalid_signature' });
  });

  it('generates the in-process system’s secrets once per installation and keeps them across restarts', async () => {
    const storage = { type: 'sqlite' as const, path: join(directory, 'secrets.db') };
    const first = await startRuntime({ storage });
    const credentials = first.runtime.support.memory?.credentials;
    await first.close();
    const second = await startRuntime({ storage });
    cleanups.push(second.close);
    expect(second.runtime.support.memory?.credentials).toEqual(credentials);
    expect(credentials?.webhookSecret).not.toBe('memory-webhook-secret');
    expect(credentials?.webhookSecret.length).toBeGreaterThanOrEqual(24);
    const elsewhere = await startRuntime({ storage: { type: 'sqlite', path: join(directory, 'other.db') } });
    cleanups.push(elsewhere.close);
    expect(elsewhere.runtime.support.memory?.credentials.webhookSecret).not.toBe(credentials?.webhookSecret);
  });

  it('takes the in-process system’s webhook secret from the configuration when set', async () => {
    const webhookSecret = 'a-configured-webhook-secret-7f3a';
    const { url, close } = await startRuntime({ support: { type: 'in-process', webhookSecret } });
    cleanups.push(close);
    const signed = signedEvent(webhookSecret);
    const response = await request(`${url}/v1/support/memory/webhook`, { method: 'POST', ...signed });
    expect(response.statusCode).toBe(200);
  });

  const reachable = (overrides: Record<string, unknown>) =>
    runtimeConfigSchema.parse({
      ...demoConfig,
      storage: { type: 'memory' },
      server: { host: '0.0.0.0', port: 0 },
      logging: { level: 'silent' },
      ...overrides,
    });

  it('will not start on a host other machines reach without a token, naming the setting', async () => {
    const error = await createRuntime({ config: reachable({}) }).catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/auth\.tokens: configure at least one token/);
  });

  it('will not start on a reachable host with a weak or once-default secret, naming each setting', async () => {
    const config = reachable({
      auth: {
        tokens: [{ name: 'ops', token: 'aaaaaaaaaaaaaaaaaaaa' }],
        adminTokens: [{ name: 'admin', token: 'changeme-0123456789' }],
      },
      support: { type: 'in-process', webhookSecret: 'memory-webhook-secret' },
    });
    const message = String(
      ((await createRuntime({ config }).catch((caught: unknown) => caught)) as Error).message,
    );
    expect(message).toMatch(/auth\.tokens\[0\]\.token: repeats too few characters/);
    expect(message).toMatch(/support\.webhookSecret: is a known default/);
    expect(message).toMatch(/auth\.adminTokens\[0\]\.token: is a known default/);
  });

  it('starts on a reachable host with strong secrets (and on loopback with a development token)', async () => {
    const config = reachable({ auth: { tokens: [{ name: 'ops', token: 'Zq8#kP2m@Lx9vR4t!Wc7' }] } });
    const runtime = await createRuntime({
      config,
      env: { HANDOFF_SECRETS_KEY: Buffer.alloc(32, 5).toString('base64') },
    });
    cleanups.push(() => runtime.close());
    expect(runtime.tokens.map((token) => token.generated)).toEqual([false]);
  });

  it('judges secrets by what an attacker tries first', () => {
    expect(weakness('changeme')).toBe('is a known default or common secret');
    expect(weakness('memory-api-token')).toBe('is a known default or common secret');
    expect(weakness('short-one')).toBe('is shorter than 16 characters');
    expect(weakness('abababababababababab')).toMatch(/too few characters/);
    expect(weakness('r7Kp2xQ9mVb4Tz8L')).toBeUndefined();
  });
});

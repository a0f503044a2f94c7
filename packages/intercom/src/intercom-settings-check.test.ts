import { type SupportAdapter, SupportError } from '@handoff/core';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIntercomAdapter, intercomCapabilities } from './intercom-adapter.js';
import type { IntercomSettings } from './intercom-settings.js';
import { createIntercomHarness, type IntercomHarness, intercomSettingsFor } from './testing/index.js';

let harness: IntercomHarness;

beforeEach(async () => {
  harness = await createIntercomHarness();
});

afterEach(async () => {
  await harness.close?.();
});

const adapterOn = (overrides: IntercomSettings = {}): SupportAdapter =>
  createIntercomAdapter({ ...intercomSettingsFor(harness.fake), env: {}, ...overrides });

const verify = (adapter: SupportAdapter) => {
  if (adapter.verifySettings === undefined) throw new Error('the Intercom adapter has no verifySettings');
  return adapter.verifySettings();
};

const calls = () => harness.fake.requests.map((request) => `${request.method} ${request.path}`);

describe('Intercom adapter: verifySettings', () => {
  it('checks settings, and registers no webhook (the Developer Hub sets them)', () => {
    const adapter = adapterOn();
    expect(intercomCapabilities.settingsCheck).toBe(true);
    expect(adapter.capabilities.webhookRegistration).toBe(false);
    expect(adapter.registerWebhook).toBeUndefined();
  });

  it('finds nothing wrong when the token is accepted and the bot admin is its own admin', async () => {
    expect(await verify(adapterOn())).toEqual([]);
    expect(calls()).toEqual(['GET /me']);
  });

  it("accepts a bot admin who is another of the workspace's admins", async () => {
    expect(await verify(adapterOn({ botAdminId: '991267460' }))).toEqual([]);
    expect(calls()).toEqual(['GET /me', 'GET /admins/991267460']);
  });

  it('reports a token Intercom refuses on accessToken, without the token', async () => {
    const issues = await verify(adapterOn({ accessToken: 'wrong-token' }));
    expect(issues.map((issue) => issue.field)).toEqual(['accessToken']);
    expect(issues[0]?.message).toContain('is not accepted by');
    expect(issues[0]?.message).not.toContain('wrong-token');
  });

  it('names the regional hosts when the US host refuses the token', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://api.intercom.io')
      .intercept({ path: '/me', method: 'GET' })
      .reply(401, {
        type: 'error.list',
        errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }],
      });
    const adapter = createIntercomAdapter({
      accessToken: 'eu-token',
      botAdminId: '1',
      clientSecret: 'secret',
      dispatcher: agent,
      env: {},
    });
    const issues = await verify(adapter);
    expect(issues.map((issue) => issue.field)).toEqual(['accessToken']);
    expect(issues[0]?.message).toContain('https://api.eu.intercom.io');
  });

  it('reports an admin the workspace does not have on botAdminId', async () => {
    const issues = await verify(adapterOn({ botAdminId: '42' }));
    expect(issues).toEqual([
      {
        field: 'botAdminId',
        message: "the workspace has no admin 42 (the token's own admin is 991267459: GET /me)",
      },
    ]);
  });

  it('throws a retryable SupportError when Intercom fails, instead of blaming a field', async () => {
    harness.fake.injectFault({ kind: 'server_error' });
    const error = await verify(adapterOn()).catch((caught: unknown) => caught);
    expect(SupportError.isInstance(error) && [error.code, error.retryable]).toEqual(['unavailable', true]);
  });
});

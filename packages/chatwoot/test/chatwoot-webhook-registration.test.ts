import { SupportError } from '@handoff/core';
import { afterEach, describe, expect, it } from 'vitest';
import { chatwootCapabilities, type createChatwootAdapter } from '../src/chatwoot-adapter.js';
import type { ChatwootSettings } from '../src/chatwoot-settings.js';
import { chatwootWebhookSubscriptions } from '../src/chatwoot-webhook-registration.js';
import { type ChatwootHarness, createChatwootHarness } from '../src/testing/index.js';
import { chatwootAdapterFor } from './chatwoot-target.js';

const harnesses: ChatwootHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close?.()));
});

async function setup(overrides: Partial<ChatwootSettings> = {}, version?: string) {
  const harness = await createChatwootHarness(version === undefined ? {} : { version });
  harnesses.push(harness);
  const adapter = chatwootAdapterFor(harness, { requestTimeoutMs: 2_000 }, overrides);
  return { harness, fake: harness.fake, adapter };
}

const url = 'https://runtime.example.test/webhooks/chatwoot/bot-1';

const register = (adapter: ReturnType<typeof createChatwootAdapter>, target = url) => {
  if (adapter.registerWebhook === undefined) throw new Error('the Chatwoot adapter has no registerWebhook');
  return adapter.registerWebhook({ url: target });
};

describe('Chatwoot adapter: registerWebhook', () => {
  it('says so in its capabilities', () => {
    expect(chatwootCapabilities.webhookRegistration).toBe(true);
  });

  it('creates the account webhook once with the events the adapter reads, and returns its secret', async () => {
    const { fake, adapter } = await setup();
    const first = await register(adapter);
    const [stored] = fake.accountWebhooks();
    expect(stored).toMatchObject({ url, name: 'Handoff', subscriptions: [...chatwootWebhookSubscriptions] });
    expect(first).toEqual({ id: String(stored?.id), secret: stored?.secret, created: true });
    expect(first.secret).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);

    const second = await register(adapter);
    expect(second).toEqual({ ...first, created: false });
    expect(fake.accountWebhooks()).toHaveLength(1);
    expect(
      fake.requests.map((request) => `${request.method} ${request.path.replace(/^.*\/accounts\/\d+/, '')}`),
    ).toEqual(['GET /webhooks', 'POST /webhooks', 'GET /webhooks']);
  });

  it('completes the subscriptions of a webhook to the same URL instead of adding a second one', async () => {
    const { fake, adapter } = await setup();
    const existing = fake.addAccountWebhook({ url, subscriptions: ['contact_created', 'message_created'] });
    const result = await register(adapter);
    expect(result).toEqual({ id: String(existing.id), secret: existing.secret, created: false });
    expect(fake.accountWebhooks()).toHaveLength(1);
    expect(new Set(fake.accountWebhooks()[0]?.subscriptions)).toEqual(
      new Set(['contact_created', ...chatwootWebhookSubscriptions]),
    );
    expect(fake.requests.at(-1)?.method).toBe('PATCH');
  });

  it('leaves webhooks to other URLs alone', async () => {
    const { fake, adapter } = await setup();
    fake.addAccountWebhook({ url: 'https://crm.example.test/hook', subscriptions: ['contact_created'] });
    const result = await register(adapter);
    expect(result.created).toBe(true);
    expect(fake.accountWebhooks().map((webhook) => webhook.url)).toEqual([
      'https://crm.example.test/hook',
      url,
    ]);
  });

  it("refuses an agent's token as unauthorized, saying an administrator's is needed", async () => {
    const { fake, adapter } = await setup({ userToken: 'anna-token' });
    const error = await register(adapter).catch((caught: unknown) => caught);
    expect(SupportError.isInstance(error) && [error.code, error.retryable, error.status]).toEqual([
      'unauthorized',
      false,
      401,
    ]);
    expect((error as Error).message).toContain("administrator's access token");
    expect(fake.accountWebhooks()).toEqual([]);
  });

  it('returns no secret from a release that does not sign account webhooks (before 4.11.2)', async () => {
    const { fake, adapter } = await setup({}, '4.11.0');
    const result = await register(adapter);
    expect(result).toEqual({ id: String(fake.accountWebhooks()[0]?.id), created: true });
  });

  it('throws a retryable SupportError when Chatwoot fails', async () => {
    const { fake, adapter } = await setup();
    fake.injectFault({ kind: 'server_error' });
    const error = await register(adapter).catch((caught: unknown) => caught);
    expect(SupportError.isInstance(error) && [error.code, error.retryable]).toEqual(['unavailable', true]);
    expect(fake.accountWebhooks()).toEqual([]);
  });
});

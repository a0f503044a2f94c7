// The fake Chatwoot delivers events to account webhooks as v4.15.1 does
// (`app/listeners/webhook_listener.rb` `deliver_account_webhooks`, `lib/webhooks/trigger.rb`):
// only the subscribed events, to each webhook's URL, signed with each webhook's own secret, besides
// the API inbox's `webhook_url`; and the adapter verifies them with that secret.
import { type WebhookRequest, WebhookVerificationError } from '@handoff/core';
import { type LoopbackServer, startLoopbackServer } from '@handoff/fake-server';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatwootSettings } from '../src/chatwoot-settings.js';
import {
  type AccountWebhookTarget,
  type ChatwootHarness,
  createChatwootHarness,
  type FakeChatwootSettings,
} from '../src/testing/index.js';
import { chatwootAdapterFor } from './chatwoot-target.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What a receiver got: the path it was POSTed to, and the request as a Node server sees it. */
interface Received {
  path: string;
  request: WebhookRequest;
}

/** A server that takes every POST (answering `status`) and keeps it. */
async function startReceiver(status = 200): Promise<{ server: LoopbackServer; received: Received[] }> {
  const server = await startLoopbackServer();
  cleanups.push(() => server.close());
  const received: Received[] = [];
  server.serve((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      received.push({
        path: incoming.url ?? '',
        request: {
          headers: Object.fromEntries(
            Object.entries(incoming.headers).map(([name, value]) => [name, String(value)]),
          ),
          body: Buffer.concat(chunks).toString('utf8'),
        },
      });
      response.writeHead(status).end();
    });
  });
  return { server, received };
}

async function setup(settings: FakeChatwootSettings = {}) {
  const harness: ChatwootHarness = await createChatwootHarness(settings);
  cleanups.push(async () => harness.close?.());
  const adapter = chatwootAdapterFor(harness, { requestTimeoutMs: 2_000 });
  const { supportUserId } = await adapter.ensureUser({ user: { id: 'user-41' } });
  const { conversationId } = await adapter.openConversation({
    supportUserId,
    sessionId: 's',
    handoffId: 'h',
  });
  await harness.takeWebhooks();
  const accountDeliveries: Array<{ request: WebhookRequest; target: AccountWebhookTarget }> = [];
  harness.fake.subscribeAccountWebhooks((delivery, target) => {
    accountDeliveries.push({ request: delivery, target });
  });
  return { harness, fake: harness.fake, conversationId, accountDeliveries };
}

const eventOf = (delivery: WebhookRequest): unknown =>
  (JSON.parse(delivery.body) as { event?: unknown }).event;

/** The adapter of the harness, verifying webhooks with `webhookSecret`. */
const adapterWith = (harness: ChatwootHarness, overrides: Partial<ChatwootSettings>) =>
  chatwootAdapterFor(harness, { requestTimeoutMs: 2_000 }, overrides);

const reasonOf = (error: unknown) => (WebhookVerificationError.isInstance(error) ? error.reason : error);

describe('fake Chatwoot: account webhook deliveries (webhook_listener.rb deliver_account_webhooks)', () => {
  it('POSTs an agent reply’s message_created to the webhook, signed with the webhook’s own secret', async () => {
    const { harness, fake, conversationId, accountDeliveries } = await setup();
    const { server, received } = await startReceiver();
    const webhook = fake.addAccountWebhook({
      url: `${server.baseUrl}/crm`,
      subscriptions: ['message_created'],
    });
    await harness.agentReply(conversationId, { text: 'Hello from Anna' });
    await fake.idle();

    expect(received.map((delivery) => [delivery.path, eventOf(delivery.request)])).toEqual([
      ['/crm', 'message_created'],
    ]);
    const [delivery] = received;
    if (delivery === undefined) throw new Error('no delivery');
    expect(delivery.request.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      'x-chatwoot-delivery': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'x-chatwoot-timestamp': expect.stringMatching(/^\d+$/),
      'x-chatwoot-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    // The listener sees exactly what the URL got, and which webhook it went to.
    expect(accountDeliveries).toEqual([
      {
        request: { headers: expect.objectContaining({}), body: delivery.request.body },
        target: { webhookId: webhook.id, url: `${server.baseUrl}/crm` },
      },
    ]);

    const accepted = await adapterWith(harness, { webhookSecret: webhook.secret }).handleWebhook(
      delivery.request,
    );
    expect(accepted.events).toMatchObject([{ type: 'agent.message', message: { text: 'Hello from Anna' } }]);
    const refused = await adapterWith(harness, { webhookSecret: fake.inboxSecret })
      .handleWebhook(delivery.request)
      .catch((caught: unknown) => caught);
    expect(reasonOf(refused)).toBe('invalid_signature');
  });

  it('sends a webhook only the events it subscribes to', async () => {
    const { harness, fake, conversationId, accountDeliveries } = await setup();
    const { server, received } = await startReceiver();
    fake.addAccountWebhook({
      url: `${server.baseUrl}/status`,
      subscriptions: ['conversation_status_changed'],
    });
    const toInbox = [
      ...(await harness.agentReply(conversationId, { text: 'Hello' })),
      ...(await harness.agentTyping(conversationId, true)),
      ...(await harness.resolve(conversationId)),
    ];
    await fake.idle();
    // The inbox got all of them; the webhook only the status change.
    expect(toInbox.map(eventOf)).toEqual(
      expect.arrayContaining(['message_created', 'conversation_typing_on', 'conversation_status_changed']),
    );
    expect(accountDeliveries.map(({ request: delivery }) => eventOf(delivery))).toEqual([
      'conversation_status_changed',
    ]);
    expect(received.map((delivery) => eventOf(delivery.request))).toEqual(['conversation_status_changed']);
  });

  it('delivers to the inbox webhook_url and every subscribed account webhook, each signed with its own secret', async () => {
    const { harness, fake, conversationId } = await setup();
    const { server, received } = await startReceiver();
    fake.setInbox({ webhookUrl: `${server.baseUrl}/inbox` });
    const first = fake.addAccountWebhook({
      url: `${server.baseUrl}/first`,
      subscriptions: ['message_created'],
    });
    const second = fake.addAccountWebhook({
      url: `${server.baseUrl}/second`,
      subscriptions: ['conversation_created', 'message_created'],
    });
    await harness.agentReply(conversationId, { text: 'Both of you' });
    await fake.idle();

    // The inbox also gets the conversation_updated of the first reply; the webhooks do not.
    expect(
      received
        .filter((delivery) => eventOf(delivery.request) !== 'message_created')
        .map((delivery) => [delivery.path, eventOf(delivery.request)]),
    ).toEqual([['/inbox', 'conversation_updated']]);
    const messages = received.filter((delivery) => eventOf(delivery.request) === 'message_created');
    const byPath = new Map(messages.map((delivery) => [delivery.path, delivery.request]));
    expect([...byPath.keys()].sort()).toEqual(['/first', '/inbox', '/second']);
    expect(messages).toHaveLength(3);
    // One payload for all three, each its own delivery id and signature.
    expect(new Set(messages.map((delivery) => delivery.request.body)).size).toBe(1);
    expect(new Set(messages.map((delivery) => delivery.request.headers['x-chatwoot-delivery'])).size).toBe(3);
    expect(new Set(messages.map((delivery) => delivery.request.headers['x-chatwoot-signature'])).size).toBe(
      3,
    );

    const secrets = new Map([
      ['/inbox', fake.inboxSecret],
      ['/first', first.secret],
      ['/second', second.secret],
    ]);
    for (const [path, delivery] of byPath) {
      for (const [secretPath, secret] of secrets) {
        const outcome = await adapterWith(harness, { webhookSecret: secret })
          .handleWebhook(delivery)
          .then(
            (result) => result.events.map((event) => event.type).join(','),
            (caught: unknown) => reasonOf(caught),
          );
        expect([path, secretPath, outcome]).toEqual([
          path,
          secretPath,
          path === secretPath ? 'agent.message' : 'invalid_signature',
        ]);
      }
    }
  });

  it('ignores the webhook’s inbox_id, tries once and marks nothing failed when the URL refuses', async () => {
    const { harness, fake, conversationId } = await setup();
    const { server, received } = await startReceiver(500);
    // `inbox_id` is stored, but `deliver_account_webhooks` sends every account-type webhook.
    const created = await request(`${fake.baseUrl}/api/v1/accounts/${fake.accountId}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', api_access_token: fake.tokens.admin },
      body: JSON.stringify({
        url: `${server.baseUrl}/other`,
        inbox_id: fake.inboxId + 40,
        subscriptions: ['message_created'],
      }),
    });
    expect(created.statusCode).toBe(200);
    await created.body.dump();
    const toInbox = await harness.agentReply(conversationId, { text: 'Refused' });
    await fake.idle();
    expect(received.map((delivery) => delivery.path)).toEqual(['/other']);
    const message = fake
      .conversation(Number(conversationId))
      ?.messages.find((candidate) => candidate.content === 'Refused');
    expect(message?.status).toBe('sent');
    expect(toInbox.map(eventOf)).not.toContain('message_updated');
  });

  it('sends them unsigned before 4.11.2 (the webhook has no secret to sign with)', async () => {
    const { harness, fake, conversationId, accountDeliveries } = await setup({ version: '4.11.0' });
    const { server } = await startReceiver();
    fake.addAccountWebhook({ url: `${server.baseUrl}/old`, subscriptions: ['message_created'] });
    await harness.agentReply(conversationId, { text: 'Old' });
    await fake.idle();
    expect(accountDeliveries).toHaveLength(1);
    expect(Object.keys(accountDeliveries[0]?.request.headers ?? {}).sort()).toEqual([
      'accept',
      'content-type',
    ]);
  });
});

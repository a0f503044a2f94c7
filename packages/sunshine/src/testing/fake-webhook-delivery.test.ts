import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSunshineBotHostHarness, type SunshineBotHostHarness } from './sunshine-bot-host-harness.js';

let harness: SunshineBotHostHarness | undefined;
const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(async () => {
  await harness?.close?.();
  harness = undefined;
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A receiver that answers the given statuses in turn (then 200), recording what it got. */
async function receiver(statuses: number[]) {
  const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sunshine`, received };
}

describe("the fake's webhook deliveries (spec: Retry policy, Securing Sunshine Conversations Webhooks)", () => {
  it('retries a delivery the target refused with a 5xx or a 409, with the same body (the same event ids) and X-API-Key', async () => {
    harness = await createSunshineBotHostHarness();
    const target = await receiver([503, 409]);
    harness.fake.setWebhookUrl(target.url);
    await harness.contactWrites({ identifier: 'c-1' }, 'hello');
    await harness.fake.idle();
    expect(target.received).toHaveLength(3);
    expect(new Set(target.received.map((delivery) => delivery.body)).size).toBe(1);
    expect(
      target.received.every((delivery) => delivery.headers['x-api-key'] === harness?.fake.webhookSecret),
    ).toBe(true);
  });

  it.each([400, 401, 403, 404, 406])(
    'does not retry a delivery answered %i (non-recoverable)',
    async (status) => {
      harness = await createSunshineBotHostHarness();
      const target = await receiver([status]);
      harness.fake.setWebhookUrl(target.url);
      await harness.contactWrites({ identifier: 'c-2' }, 'hello');
      await harness.fake.idle();
      expect(target.received).toHaveLength(1);
    },
  );
});

describe('batched deliveries (batchWebhookEvents)', () => {
  it('puts the events of one moment, of several conversations, in one delivery, each with its own id', async () => {
    harness = await createSunshineBotHostHarness({ batchWebhookEvents: true });
    const first = await harness.contactWrites({ identifier: 'c-3' }, 'hello');
    const second = await harness.contactWrites({ identifier: 'c-4' }, 'hello');
    const requests = await harness.takeBotWebhooks();
    expect(requests).toEqual([]);
    const { fake } = harness;
    const received: string[] = [];
    fake.onWebhook((delivery) => {
      received.push(delivery.body);
    });
    fake.userWrites(first.conversationId, 'one');
    fake.userWrites(second.conversationId, 'two');
    await fake.idle();
    expect(received).toHaveLength(1);
    const { events } = JSON.parse(received[0] ?? '{}') as {
      events: Array<{ id: string; payload: { conversation: { id: string } } }>;
    };
    expect(events.map((event) => event.payload.conversation.id)).toEqual([
      first.conversationId,
      second.conversationId,
    ]);
    expect(new Set(events.map((event) => event.id)).size).toBe(2);
  });
});

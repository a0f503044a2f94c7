// The webhook sender: what listeners and the URL get, ordered and concurrent delivery, payloads
// built when they go out, retries, refusals and failures, idle and stop.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookRecorder } from '../src/webhook-recorder.js';
import { createWebhookSender } from '../src/webhook-sender.js';

interface Receiver {
  url: string;
  received: Array<{ headers: IncomingMessage['headers']; body: string }>;
  close(): Promise<void>;
}

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

/** A webhook endpoint answering each delivery with the next status of `statuses` (then 200). */
async function startReceiver(statuses: number[] = []): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  receivers.push(receiver);
  return receiver;
}

const signedHeaders = (body: string, delivery: { deliveryId: string; attempt: number }) => ({
  'content-type': 'application/json',
  'x-signature': `len=${body.length}`,
  'x-delivery': delivery.deliveryId,
  'x-attempt': String(delivery.attempt),
});

describe('the webhook sender', () => {
  it('delivers in emit order when ordered, to the listeners and the URL alike', async () => {
    const receiver = await startReceiver();
    const sender = createWebhookSender({
      headersFor: signedHeaders,
      url: () => receiver.url,
      timeoutMs: 1_000,
    });
    const heard: string[] = [];
    sender.subscribe((delivery) => {
      heard.push(delivery.body);
      expect(delivery.headers['x-signature']).toBe(`len=${delivery.body.length}`);
    });
    for (let index = 0; index < 10; index += 1) sender.emit({ index });
    await sender.idle();
    const expected = Array.from({ length: 10 }, (_, index) => JSON.stringify({ index }));
    expect(heard).toEqual(expected);
    expect(receiver.received.map((delivery) => delivery.body)).toEqual(expected);
    expect(receiver.received[0]?.headers['x-signature']).toBe(`len=${expected[0]?.length}`);
  });

  it('delivers concurrently when unordered, every delivery once, in no particular order', async () => {
    const orderOf = async (seed: number) => {
      const sender = createWebhookSender({
        headersFor: signedHeaders,
        url: () => undefined,
        timeoutMs: 1_000,
        order: 'unordered',
        seed,
        jitterMs: [0, 20],
      });
      const heard: number[] = [];
      sender.subscribe((delivery) => {
        heard.push((JSON.parse(delivery.body) as { index: number }).index);
      });
      for (let index = 0; index < 20; index += 1) sender.emit({ index });
      await sender.idle();
      return heard;
    };
    const first = await orderOf(3);
    expect([...first].sort((left, right) => left - right)).toEqual(
      Array.from({ length: 20 }, (_, index) => index),
    );
    // Twenty pauses of up to 20 ms: not all in emit order.
    expect(first).not.toEqual([...first].sort((left, right) => left - right));
  });

  it('builds a function payload when it goes out, and sends nothing for undefined', async () => {
    const sender = createWebhookSender({ headersFor: signedHeaders, url: () => undefined, timeoutMs: 1_000 });
    const heard: string[] = [];
    sender.subscribe((delivery) => {
      heard.push(delivery.body);
    });
    let state = 'before';
    sender.emit(() => ({ state }));
    sender.emit(() => undefined);
    const fixed = { state: 'fixed' };
    sender.emit(fixed);
    fixed.state = 'changed later';
    state = 'when sent';
    await sender.idle();
    expect(heard).toEqual(['{"state":"when sent"}', '{"state":"fixed"}']);
  });

  it('retries the statuses asked for with the same delivery id, then reports the failure', async () => {
    const receiver = await startReceiver([500, 500, 500, 503]);
    const failures: unknown[] = [];
    const sender = createWebhookSender<{ id: number }>({
      headersFor: signedHeaders,
      url: () => receiver.url,
      timeoutMs: 1_000,
      retry: { attempts: 3, delayMs: 5, statuses: [500] },
      onFailed: (failure) => failures.push(failure),
    });
    sender.emit({ event: 'retried' }, { id: 1 });
    sender.emit({ event: 'not retried' }, { id: 2 });
    await sender.idle();
    const attempts = receiver.received.map((delivery) => [
      delivery.headers['x-attempt'],
      delivery.headers['x-delivery'],
    ]);
    expect(attempts.map(([attempt]) => attempt)).toEqual(['1', '2', '3', '1']);
    expect(new Set(attempts.slice(0, 3).map(([, id]) => id)).size).toBe(1);
    expect(failures).toEqual([
      {
        payload: { event: 'retried' },
        context: { id: 1 },
        error: 'Webhook delivery failed with HTTP 500',
        status: 500,
      },
      {
        payload: { event: 'not retried' },
        context: { id: 2 },
        error: 'Webhook delivery failed with HTTP 503',
        status: 503,
      },
    ]);
  });

  it('counts only the statuses asked for as delivered, and with `any` retries every refusal, a closed port included', async () => {
    const receiver = await startReceiver([204, 202]);
    const sender = createWebhookSender({
      headersFor: signedHeaders,
      url: () => receiver.url,
      timeoutMs: 1_000,
      delivered: (status) => status === 200,
      retry: { attempts: 5, delayMs: 5, statuses: 'any' },
    });
    sender.emit({ event: 'only a 200 will do' });
    await sender.idle();
    expect(receiver.received.map((delivery) => delivery.headers['x-attempt'])).toEqual(['1', '2', '3']);

    const failures: string[] = [];
    const closed = await startReceiver();
    await closed.close();
    receivers.splice(receivers.indexOf(closed), 1);
    let attempts = 0;
    const toNowhere = createWebhookSender({
      headersFor: (body, delivery) => {
        attempts = delivery.attempt;
        return signedHeaders(body, delivery);
      },
      url: () => closed.url,
      timeoutMs: 1_000,
      retry: { attempts: 3, delayMs: 5, statuses: 'any' },
      onFailed: (failure) => failures.push(failure.error),
    });
    toNowhere.emit({ event: 'network error' });
    await toNowhere.idle();
    expect(attempts).toBe(3);
    expect(failures).toHaveLength(1);
  });

  it('refuses a URL without connecting, and drops everything once stopped', async () => {
    const receiver = await startReceiver();
    const failures: string[] = [];
    const sender = createWebhookSender({
      headersFor: signedHeaders,
      url: () => receiver.url,
      timeoutMs: 1_000,
      refuse: (url) => (url.includes('127.0.0.1') ? 'private address' : undefined),
      onFailed: (failure) => failures.push(failure.error),
    });
    sender.emit({ refused: true });
    await sender.idle();
    expect(failures).toEqual(['private address']);
    sender.stop();
    sender.emit({ after: 'stop' });
    await sender.idle();
    expect(receiver.received).toEqual([]);
  });
});

describe('the webhook recorder', () => {
  it('returns the deliveries an action caused, and keeps earlier ones for take()', async () => {
    const sender = createWebhookSender({ headersFor: signedHeaders, url: () => undefined, timeoutMs: 1_000 });
    const recorder = createWebhookRecorder({ subscribe: sender.subscribe, idle: sender.idle });
    sender.emit({ n: 'earlier' });
    const caused = await recorder.during(async () => {
      sender.emit({ n: 'caused' });
    });
    expect(caused.map((delivery) => delivery.body)).toEqual(['{"n":"caused"}']);
    sender.emit({ n: 'later' });
    expect((await recorder.take()).map((delivery) => delivery.body)).toEqual([
      '{"n":"earlier"}',
      '{"n":"later"}',
    ]);
    recorder.stop();
    sender.emit({ n: 'unheard' });
    expect(await recorder.take()).toEqual([]);
  });
});

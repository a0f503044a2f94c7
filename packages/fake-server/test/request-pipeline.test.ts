// The request pipeline over a running fake: routing and its errors, every fault kind, rate limits,
// recording (headers, body, timing, fault, answer) and the harness's untouched requests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonResponse } from '../src/fake-http-response.js';
import { callTiny, startTinyFake, type TinySettings, tinyHarnessHeader } from './tiny-fake.js';

let fake: Awaited<ReturnType<typeof startTinyFake>>;

const restart = async (settings: TinySettings = {}) => {
  await fake?.close();
  fake = await startTinyFake(settings);
};
const call = (...args: Parameters<typeof callTiny> extends [string, ...infer Rest] ? Rest : never) =>
  callTiny(fake.baseUrl, ...args);
const create = (name: string, options: { timeoutMs?: number } = {}) =>
  call('POST', '/items', { body: JSON.stringify({ name }), ...options });

beforeEach(async () => {
  fake = await startTinyFake();
});
afterEach(async () => {
  await fake.close();
});

describe('the pipeline: routes and their errors', () => {
  it('listens on 127.0.0.1 and answers the routes', async () => {
    expect(fake.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await create('first')).status).toBe(201);
    const shown = await call('GET', '/items/1');
    expect(shown.status).toBe(200);
    expect(JSON.parse(shown.text)).toEqual({ type: 'item', id: '1', name: 'first' });
  });

  it('answers a path whose segment is not valid percent-encoding as the vendor does, never 500', async () => {
    const generic = await call('GET', '/items/%E0%A4%A');
    expect(generic.status).toBe(400);
    await restart({ responses: { badPath: () => jsonResponse(404, { error: 'Resource Not Found' }) } });
    const vendor = await call('GET', '/items/%E0%A4%A');
    expect(vendor).toMatchObject({ status: 404, text: '{"error":"Resource Not Found"}' });
    // The fake lives on.
    expect((await call('GET', '/items/1')).status).toBe(404);
    expect(fake.requests.map((recorded) => recorded.response?.status)).toEqual([404, 404]);
  });

  it('answers no route, a broken body, a refusal and a bug in a route with their answers', async () => {
    expect(JSON.parse((await call('GET', '/nothing')).text)).toEqual({
      error: 'not_found',
      message: 'Not Found',
    });
    expect((await call('POST', '/items', { body: '{"name":' })).status).toBe(400);
    expect(await call('POST', '/items', { body: '{}' })).toMatchObject({
      status: 422,
      text: '{"error":"name is required"}',
    });
    const bug = await call('GET', '/broken');
    expect(bug.status).toBe(500);
    expect(JSON.parse(bug.text)).toEqual({ error: 'fake_bug', message: 'the route has a bug' });
  });

  it('runs the vendor checks before routing (here: the token every path needs)', async () => {
    expect((await call('GET', '/nothing', { token: null })).status).toBe(401);
    expect((await call('GET', '/items/1', { token: 'wrong' })).status).toBe(401);
  });
});

describe('the pipeline: recording', () => {
  it('records method, path, query, headers, body, auth, timing and the answer of every request', async () => {
    await call('POST', '/items?source=test', {
      body: JSON.stringify({ name: 'recorded' }),
      headers: { 'x-vendor-version': '2.14', accept: 'application/json' },
    });
    await call('GET', '/items/1', { token: 'wrong' });
    const [created, refused] = fake.requests;
    expect(created).toMatchObject({
      method: 'POST',
      path: '/items',
      query: { source: 'test' },
      contentType: 'application/json',
      body: { name: 'recorded' },
      auth: 'user',
      response: { status: 201, contentType: 'application/json; charset=utf-8', body: { id: '1' } },
    });
    expect(created?.headers).toMatchObject({
      'x-vendor-version': '2.14',
      accept: 'application/json',
      'x-token': 'tiny-token',
      'content-type': 'application/json',
    });
    expect(created?.receivedAt).toBeInstanceOf(Date);
    expect(created?.timing.answeredMs).toBeGreaterThanOrEqual(created?.timing.receivedMs ?? Number.NaN);
    expect(created?.fault).toBeUndefined();
    expect(refused).toMatchObject({ auth: 'invalid', response: { status: 401 } });
  });

  it('records a form with its text fields and files, when the fake takes forms', async () => {
    await restart({ forms: true });
    const form = new FormData();
    form.append('note', 'hello');
    form.append('attachments[]', new Blob(['abc'], { type: 'text/plain' }), 'a.txt');
    const response = await fetch(`${fake.baseUrl}/items`, {
      method: 'POST',
      headers: { 'x-token': 'tiny-token' },
      body: form,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ name: 'a.txt' });
    expect(fake.requests[0]?.body).toEqual({
      note: 'hello',
      'attachments[]': [{ filename: 'a.txt', type: 'text/plain', size: 3 }],
    });
  });

  it('neither records, faults nor throttles the harness, and tells its routes who called', async () => {
    await restart({ rateLimit: { perMinute: 1 } });
    fake.faults.injectFault({ kind: 'server_error' });
    const harness = await call('POST', '/items', {
      body: JSON.stringify({ name: 'agent' }),
      headers: { [tinyHarnessHeader]: '1' },
    });
    expect(JSON.parse(harness.text)).toMatchObject({ name: 'agent (harness)' });
    expect(fake.requests).toEqual([]);
    expect((await call('GET', '/items/1')).status).toBe(500);
    expect((await call('GET', '/items/1')).status).toBe(200);
    expect((await call('GET', '/items/1', { headers: { [tinyHarnessHeader]: '1' } })).status).toBe(200);
  });
});

describe('the pipeline: faults', () => {
  it('answers the status faults with the vendor bodies instead of processing', async () => {
    fake.faults.injectFault({ kind: 'unauthorized' });
    fake.faults.injectFault({ kind: 'rate_limited' });
    fake.faults.injectFault({ kind: 'server_error' });
    fake.faults.injectFault({ kind: 'http_status', status: 409 });
    fake.faults.injectFault({ kind: 'malformed_body' });
    const answers: Array<Awaited<ReturnType<typeof create>>> = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) answers.push(await create(name));
    expect(answers.map((answer) => answer.status)).toEqual([401, 429, 500, 409, 200]);
    expect(() => JSON.parse(answers[4]?.text ?? '')).toThrow();
    // None was processed.
    expect((await call('GET', '/items/1')).status).toBe(404);
    expect(fake.requests.map((recorded) => recorded.fault)).toEqual([
      'unauthorized',
      'rate_limited',
      'server_error',
      'http_status',
      'malformed_body',
      undefined,
    ]);
    expect(fake.requests[3]?.response).toMatchObject({ status: 409, body: { error: 'conflict' } });
  });

  it('resets the connection without processing (connection_reset)', async () => {
    fake.faults.injectFault({ kind: 'connection_reset' });
    expect((await create('reset')).status).toBe('reset');
    expect((await call('GET', '/items/1')).status).toBe(404);
    expect(fake.requests[0]).toMatchObject({ fault: 'connection_reset' });
    expect(fake.requests[0]?.response).toBeUndefined();
  });

  it('never answers a timeout fault, and close() still returns', async () => {
    fake.faults.injectFault({ kind: 'timeout' });
    expect((await create('hang', { timeoutMs: 300 })).status).toBe('timeout');
    expect((await call('GET', '/items/1')).status).toBe(404);
    fake.faults.injectFault({ kind: 'timeout' });
    const hanging = create('held', { timeoutMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fake.close();
    expect((await hanging).status).toBe('reset');
    fake = await startTinyFake();
  });

  it('answers late (slow): processed at once, answered after the delay', async () => {
    fake.faults.injectFault({ kind: 'slow', delayMs: 300 });
    const started = performance.now();
    const late = create('late');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Already applied while the answer waits.
    expect((await call('GET', '/items/1')).status).toBe(200);
    expect((await late).status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const [recorded] = fake.requests;
    expect(recorded).toMatchObject({ fault: 'slow', response: { status: 201 } });
    expect((recorded?.timing.answeredMs ?? 0) - (recorded?.timing.receivedMs ?? 0)).toBeGreaterThanOrEqual(
      290,
    );
  });

  it('answers every API request after the latency set (a vendor far away), never the harness', async () => {
    fake.faults.setLatency(400);
    const started = performance.now();
    const answers = await Promise.all([create('one'), create('two'), create('three')]);
    const elapsed = performance.now() - started;
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    // Concurrent requests wait side by side, not one after another.
    expect(elapsed).toBeGreaterThanOrEqual(395);
    expect(elapsed).toBeLessThan(1_100);
    for (const recorded of fake.requests) {
      expect((recorded.timing.answeredMs ?? 0) - recorded.timing.receivedMs).toBeGreaterThanOrEqual(395);
    }
    const harnessStarted = performance.now();
    expect((await call('GET', '/items/1', { headers: { [tinyHarnessHeader]: '1' } })).status).toBe(200);
    expect(performance.now() - harnessStarted).toBeLessThan(300);
    fake.faults.setLatency(0);
    const quickStarted = performance.now();
    expect((await call('GET', '/items/1')).status).toBe(200);
    expect(performance.now() - quickStarted).toBeLessThan(300);
    expect(() => fake.faults.setLatency(-1)).toThrow(RangeError);
  });

  it('applies the change and loses the answer (lost_answer)', async () => {
    fake.faults.injectFault({ kind: 'lost_answer' });
    expect((await create('lost')).status).toBe('reset');
    expect(JSON.parse((await call('GET', '/items/1')).text)).toMatchObject({ name: 'lost' });
    // The record keeps what would have been answered.
    expect(fake.requests[0]).toMatchObject({ fault: 'lost_answer', response: { status: 201 } });
  });

  it('queues faults with times and after, clears the unmet ones and counts those met', async () => {
    fake.faults.injectFault({ kind: 'server_error' }, { times: 2, after: 1 });
    const statuses = [];
    for (const name of ['a', 'b', 'c', 'd']) statuses.push((await create(name)).status);
    expect(statuses).toEqual([201, 500, 500, 201]);
    fake.faults.injectFault({ kind: 'unauthorized' }, 3);
    expect((await create('e')).status).toBe(401);
    expect(fake.faults.clearFaults()).toBe(2);
    expect((await create('f')).status).toBe(201);
    expect(fake.faults.faultsInjected()).toEqual({ server_error: 2, unauthorized: 1 });
  });

  it('fails a seeded share of requests at random, the same way for the same seed', async () => {
    const run = async () => {
      await restart();
      fake.faults.setRandomFaults({
        probability: 0.5,
        kinds: ['server_error', 'slow'],
        seed: 7,
        slowMs: [1, 5],
      });
      const statuses = [];
      for (let index = 0; index < 30; index += 1) statuses.push((await create(`n${index}`)).status);
      fake.faults.setRandomFaults(undefined);
      return { statuses, injected: fake.faults.faultsInjected() };
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first.injected.server_error).toBeGreaterThan(3);
    expect(first.injected.slow).toBeGreaterThan(3);
    expect(first.statuses.filter((status) => status === 500)).toHaveLength(first.injected.server_error ?? 0);
  });
});

describe('the pipeline: rate limits', () => {
  it('refuses past the limit of the window, with the vendor headers on every answer', async () => {
    let clock = new Date('2026-01-01T10:00:10Z');
    await restart({
      rateLimit: {
        perMinute: 2,
        headers: ({ limit, remaining, resetAtMs }) => ({
          'x-limit': String(limit),
          'x-remaining': String(remaining),
          'x-reset': String(resetAtMs / 1000),
        }),
      },
      now: () => clock,
    });
    const first = await create('a');
    expect(first.headers).toMatchObject({
      'x-limit': '2',
      'x-remaining': '1',
      'x-reset': String(Date.parse('2026-01-01T10:01:00Z') / 1000),
    });
    expect((await create('b')).status).toBe(201);
    const third = await create('c');
    expect(third.status).toBe(429);
    expect(third.headers['x-remaining']).toBe('0');
    clock = new Date('2026-01-01T10:01:00Z');
    expect((await create('d')).status).toBe(201);
  });

  it('shows the rate limit headers on an injected 429, reset after retryAfterMs when given', async () => {
    const clock = new Date('2026-01-01T10:00:10Z');
    await restart({
      rateLimit: {
        headers: ({ limit, resetAtMs }) => ({ 'x-limit': String(limit), 'x-reset': String(resetAtMs) }),
        unconfigured: { limit: 500, windowMs: 10_000 },
      },
      now: () => clock,
    });
    fake.faults.injectFault({ kind: 'rate_limited', retryAfterMs: 3_000 });
    fake.faults.injectFault({ kind: 'rate_limited' });
    const hinted = await create('a');
    expect(hinted.status).toBe(429);
    expect(hinted.headers).toMatchObject({ 'x-limit': '500', 'x-reset': String(clock.getTime() + 3_000) });
    const unhinted = await create('b');
    expect(unhinted.headers['x-reset']).toBe(String(Date.parse('2026-01-01T10:00:20Z')));
  });
});

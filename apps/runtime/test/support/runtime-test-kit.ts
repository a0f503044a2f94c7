import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInMemoryStores, type HandoffEngineSettings } from '@handoff/core';
import { seededRandom, verifyTimestampedSignature } from '@handoff/http';
import { request } from 'undici';
import { demoConfig } from '../../src/config/demo-config.js';
import { type RuntimeConfigInput, runtimeConfigSchema } from '../../src/config/runtime-config.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';

export const testToken = 'test-token-0123456789abcdef';

/** Waits until `check` passes (returns without throwing), or fails with its last error. */
export async function eventually<Result>(
  check: () => Result | Promise<Result>,
  timeoutMs = 5_000,
): Promise<Result> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw lastError;
}

/** A runtime on a free loopback port, with in-memory stores unless the config says otherwise. */
export async function startRuntime(
  overrides: Partial<RuntimeConfigInput> = {},
  options: {
    env?: Record<string, string | undefined>;
    logStream?: NodeJS.WritableStream;
    delivery?: HandoffEngineSettings['delivery'];
    languageModel?: RuntimeOptions['languageModel'];
  } = {},
) {
  const config = runtimeConfigSchema.parse({
    ...demoConfig,
    storage: { type: 'memory' },
    server: { host: '127.0.0.1', port: 0 },
    // Load generators in tests outpace the production default; tests of the limit set their own.
    auth: { tokens: [{ name: 'test', token: testToken }], rateLimitPerMinute: 1_000_000 },
    logging: { level: 'silent' },
    ...overrides,
  });
  const runtime: Runtime = await createRuntime({
    config,
    ...(config.storage.type === 'memory' ? { stores: createInMemoryStores() } : {}),
    env: options.env ?? {},
    delivery: options.delivery ?? { backoff: { initialDelayMs: 5, maxDelayMs: 50 } },
    ...(options.logStream === undefined ? {} : { logStream: options.logStream }),
    ...(options.languageModel === undefined ? {} : { languageModel: options.languageModel }),
  });
  const url = await runtime.listen();
  const call = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await request(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${testToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return {
      status: response.statusCode,
      headers: response.headers,
      json: json as Record<string, unknown> & { replies?: Array<{ text: string; kind: string }> },
      text,
    };
  };
  const user = (channelId: string, userId: string) => {
    const base = `/v1/channels/${encodeURIComponent(channelId)}/users/${encodeURIComponent(userId)}`;
    return {
      say: (text: string, extra: Record<string, unknown> = {}) =>
        call('POST', `${base}/messages`, { text, ...extra }),
      session: () => call('GET', `${base}/session`),
      close: (note?: string) => call('POST', `${base}/close`, note === undefined ? {} : { note }),
      events: (after?: number) =>
        openEventStream(`${url}${base}/events${after === undefined ? '' : `?after=${after}`}`),
    };
  };
  return { runtime, url, call, user, close: () => runtime.close() };
}

export interface StreamEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

/** Reads a server-sent event stream; `next` waits for an event that matches. */
export async function openEventStream(url: string) {
  const controller = new AbortController();
  const response = await request(url, {
    headers: { authorization: `Bearer ${testToken}` },
    signal: controller.signal,
  });
  const events: StreamEvent[] = [];
  let buffer = '';
  const reading = (async () => {
    try {
      for await (const chunk of response.body) {
        buffer += chunk.toString();
        let boundary = buffer.indexOf('\n\n');
        while (boundary !== -1) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => !line.startsWith(':') && line.includes(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
          );
          if (fields.data !== undefined) {
            events.push({
              event: fields.event ?? 'message',
              ...(fields.id === undefined ? {} : { id: fields.id }),
              data: JSON.parse(fields.data),
            });
          }
        }
      }
    } catch {
      // Closed by the test.
    }
  })();
  return {
    status: response.statusCode,
    events,
    texts: () =>
      events.filter((event) => event.event === 'message').map((event) => event.data.text as string),
    next: (predicate: (event: StreamEvent) => boolean, timeoutMs = 5_000) =>
      eventually(() => {
        const found = events.find(predicate);
        if (found === undefined)
          throw new Error(
            `no matching event among ${JSON.stringify(events.map((event) => event.data.text ?? event.event))}`,
          );
        return found;
      }, timeoutMs),
    async close() {
      controller.abort();
      await reading;
    },
  };
}

interface ReceivedCallback {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  verified: boolean;
  at: number;
}

export type CallbackFaultKind = 'unavailable' | 'throttled' | 'reset' | 'lost_answer' | 'slow';

/**
 * A channel's callback endpoint on 127.0.0.1 that checks signatures. It can fail a share of calls
 * at random: 503, 429, a reset before reading, a lost answer (recorded, then reset) or a slow one.
 */
export async function startCallbackReceiver(secret: string) {
  const received: ReceivedCallback[] = [];
  let failuresLeft = 0;
  let random: { probability: number; next: () => number; slowMs: readonly [number, number] } | undefined;
  const injected: Record<string, number> = {};
  const pickFault = (): CallbackFaultKind | undefined => {
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      return 'unavailable';
    }
    if (random === undefined || random.next() >= random.probability) return undefined;
    const kinds: CallbackFaultKind[] = ['unavailable', 'throttled', 'reset', 'lost_answer', 'slow'];
    const kind = kinds[Math.floor(random.next() * kinds.length)] ?? 'unavailable';
    injected[kind] = (injected[kind] ?? 0) + 1;
    return kind;
  };
  const server: Server = createServer((incoming, response) => {
    const fault = pickFault();
    if (fault === 'reset') {
      incoming.socket.resetAndDestroy();
      return;
    }
    let body = '';
    incoming.on('data', (chunk) => {
      body += chunk;
    });
    incoming.on('end', () => {
      if (fault === 'unavailable' || fault === 'throttled') {
        response.writeHead(fault === 'unavailable' ? 503 : 429).end();
        return;
      }
      let verified = true;
      try {
        verifyTimestampedSignature({
          secret,
          body,
          timestamp: incoming.headers['x-handoff-timestamp'] as string | undefined,
          signature: incoming.headers['x-handoff-signature'] as string | undefined,
        });
      } catch {
        verified = false;
      }
      received.push({ headers: incoming.headers, body: JSON.parse(body), verified, at: Date.now() });
      if (fault === 'lost_answer') {
        incoming.socket.resetAndDestroy();
        return;
      }
      if (fault === 'slow' && random !== undefined) {
        const [low, high] = random.slowMs;
        setTimeout(() => response.writeHead(204).end(), low + random.next() * (high - low));
        return;
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    received,
    failNext(times: number) {
      failuresLeft = times;
    },
    setRandomFaults(settings: { probability: number; seed: number; slowMs?: readonly [number, number] }) {
      random = {
        probability: settings.probability,
        next: seededRandom(settings.seed),
        slowMs: settings.slowMs ?? [50, 700],
      };
    },
    injected: () => ({ ...injected }),
    texts: () => received.map((entry) => (entry.body.message as { text: string }).text),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxEncodedPathParameterLength } from '../../src/http/framework-errors.js';
import {
  type BaselineRequest,
  generateHostileRequests,
  type HostileRequest,
  type HostileSuite,
  type OpenApiDocument,
} from '../support/openapi-hostile-requests.js';
import { startRuntime, testToken } from '../support/runtime-test-kit.js';

const otherChannelToken = 'other-channel-token-0123456789';
const adminToken = 'fuzz-admin-token-0123456789abcdef';
/** The token of the registry chatbot fuzz-bot's channel web (its channel other takes otherChannelToken). */
const fuzzBotToken = 'fuzz-bot-web-token-0123456789';
/** A routing whose skills compile, for the chatbots the admin API's baselines write. */
const fuzzRouting = {
  defaultTeam: 'general',
  teams: [{ team: 'billing', label: 'Billing', skills: ['Fuzz.Shop.Refund'] }],
};
/** A chatbot's support: its teams are those of fuzzRouting and 'fuzz', the one generated bodies name. */
const fuzzSupport = {
  type: 'in-process',
  teams: [
    { id: 'fuzz', name: 'Fuzz' },
    { id: 'general', name: 'General' },
    { id: 'billing', name: 'Billing' },
  ],
};
const requestTimeoutMs = 5_000;
const bodyLimitBytes = 256 * 1024;
/** Routes that are pages of the try-it UI, not the API: the document leaves them out. */
const pageRoutes = new Set(['GET /', 'GET /chat', 'GET /console', 'GET /settings', 'GET /web/{asset}']);

interface Answer {
  status: number;
  json: { error?: unknown; message?: unknown } | undefined;
  text: string;
  timedOut: boolean;
}

let started: Awaited<ReturnType<typeof startRuntime>>;
let document: OpenApiDocument;
let suite: HostileSuite;

/** Sends one request; a stream is cut after its headers; a request without an answer is a hang. */
async function send(
  url: string,
  sent: Pick<HostileRequest, 'method' | 'path' | 'headers' | 'body'>,
): Promise<Answer> {
  try {
    const response = await request(`${url}${sent.path}`, {
      method: sent.method as 'GET' | 'POST',
      headers: sent.headers,
      ...(sent.body === undefined ? {} : { body: sent.body }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    if (String(response.headers['content-type']).startsWith('text/event-stream')) {
      response.body.destroy();
      return { status: response.statusCode, json: undefined, text: '', timedOut: false };
    }
    const text = await response.body.text();
    let json: Answer['json'];
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, json, text, timedOut: false };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError')
      return { status: 0, json: undefined, text: '', timedOut: true };
    throw error;
  }
}

/** Why an answer breaks the rules for a hostile request; undefined when it keeps them. */
function violation(hostile: HostileRequest, answer: Answer): string | undefined {
  if (answer.timedOut) return `no answer within ${requestTimeoutMs} ms`;
  if (answer.status >= 500) return `${answer.status}: ${answer.text.slice(0, 200)}`;
  if (answer.status < 400) return `accepted with ${answer.status}`;
  if (typeof answer.json?.error !== 'string' || typeof answer.json.message !== 'string') {
    return `${answer.status} without { error, message }: ${answer.text.slice(0, 200)}`;
  }
  const message = answer.json.message;
  switch (hostile.expect.kind) {
    case 'refused':
      return undefined;
    case 'unauthorized':
      return answer.status === 401 || answer.status === 403 ? undefined : `${answer.status}, not 401 or 403`;
    case 'names-field': {
      const { field } = hostile.expect;
      const named =
        message.startsWith(`${field}:`) || message.startsWith(`${field}.`) || message.startsWith(`${field}[`);
      if (answer.status !== 400 || answer.json.error !== 'invalid_request') {
        return `${answer.status} ${answer.json.error}, not 400 invalid_request: ${message}`;
      }
      return named ? undefined : `the message does not name ${field}: ${message}`;
    }
  }
}

/** `METHOD /path/{param}` of every route Fastify serves, from its route tree. */
function servedRoutes(tree: string): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)(?:[├└]── )?(\S+?)(?: \(([A-Z, ]+)\))?$/.exec(line.replaceAll('\u00a0', ' '));
    if (match === null || match[2] === undefined) continue;
    const depth = Math.floor((match[1] ?? '').length / 4) + (line.includes('── ') ? 1 : 0);
    stack.length = depth;
    stack[depth] = match[2];
    const path = stack
      .join('')
      .replaceAll(/:(\w+)/g, '{$1}')
      .replace(/^\/\//, '/');
    for (const method of (match[3] ?? '').split(', ')) {
      if (method !== '' && method !== 'HEAD') routes.push(`${method} ${path}`);
    }
  }
  return routes;
}

beforeAll(async () => {
  started = await startRuntime({
    server: { host: '127.0.0.1', port: 0, bodyLimitBytes },
    auth: {
      tokens: [
        { name: 'test', token: testToken },
        { name: 'other-channel', token: otherChannelToken, channels: ['other'] },
      ],
      adminTokens: [{ name: 'fuzz-admin', token: adminToken }],
      rateLimitPerMinute: 1_000_000,
    },
  });
  const { call, user } = started;
  // Things the routes name: a conversation (a handoff to Billing), an agent and a stored file.
  const alice = user('web', 'alice');
  await alice.say('agent');
  await alice.say('billing');
  const conversationId = String((await alice.session()).json.conversationId);
  const teams = (await call('GET', '/v1/console/teams')).json as { agents?: Array<{ id: string }> };
  const agentId = teams.agents?.[0]?.id ?? '';
  const upload = await request(`${started.url}/v1/files`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${testToken}`,
      'content-type': 'text/plain',
      'x-file-name': 'fuzz.txt',
    },
    body: 'a stored file',
  });
  const [, fileId = '', fileName = ''] =
    /\/v1\/files\/([^/]+)\/([^/]+)$/.exec(((await upload.body.json()) as { url: string }).url) ?? [];
  expect([conversationId, agentId, fileId].every((value) => value !== '' && value !== 'undefined')).toBe(
    true,
  );

  // Chatbots of the registry: one the channel routes under /v1/bots name, one the admin routes
  // change (their baselines may update or delete it).
  for (const id of ['fuzz-bot', 'fuzz-admin-bot']) {
    const created = await request(`${started.url}/v1/admin/bots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id,
        name: 'Fuzz',
        channels: { web: { token: fuzzBotToken }, other: { token: otherChannelToken } },
        // A chatbot's teams are checked against its system's.
        support: fuzzSupport,
        routing: fuzzRouting,
      }),
    });
    expect(created.statusCode).toBe(201);
    await created.body.dump();
  }

  document = (await call('GET', '/openapi.json')).json as unknown as OpenApiDocument;
  suite = generateHostileRequests(document, {
    seed: 20_260_420,
    token: testToken,
    tokenFor: (path) =>
      path.startsWith('/v1/admin/bots')
        ? adminToken
        : path.startsWith('/v1/bots/')
          ? fuzzBotToken
          : undefined,
    pathValue: (path, name) => {
      if (name === 'bot') return path.startsWith('/v1/admin/') ? 'fuzz-admin-bot' : 'fuzz-bot';
      if (name === 'channelId') return 'web';
      if (name === 'userId') return 'fuzz-user';
      if (name === 'agentId') return agentId;
      if (path.startsWith('/v1/files/')) return name === 'id' ? fileId : decodeURIComponent(fileName);
      if (path.startsWith('/v1/console/conversations/')) return conversationId;
      return undefined;
    },
    bodyValues: {
      agentId,
      routing: fuzzRouting,
      support: fuzzSupport,
      skills: ['Fuzz.Shop.Refund'],
      // The generator does not follow a record's key pattern: locales are keyed by locale.
      locales: { de: { handoffAccepted: 'Sie werden mit {team} verbunden.' } },
    },
    bodyLimitBytes,
    maxPathParameterLength: maxEncodedPathParameterLength,
  });
}, 20_000);

afterAll(async () => {
  await started?.close();
});

describe('every operation of /openapi.json under hostile input', () => {
  it('documents every API route the runtime serves, so every route is fuzzed', () => {
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const served = servedRoutes(started.runtime.app.printRoutes({ commonPrefix: false }));
    const concrete = (route: string) => route.replace('{instance}', 'memory');
    const undocumented = served
      .filter((route) => !pageRoutes.has(route))
      .filter((route) => !documented.has(route) && !documented.has(concrete(route)))
      // The agent-bot webhook is served (and documented) only in internal mode.
      .filter((route) => route !== 'POST /v1/agent-bot/{instance}/webhook');
    expect(served.length).toBeGreaterThan(20);
    expect(undocumented).toEqual([]);
  });

  it('generates hostile requests for every operation, and for every input of it', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.length).toBeGreaterThanOrEqual(22);
    expect(operations.filter((operation) => (suite.counts.get(operation) ?? 0) === 0)).toEqual([]);
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        for (const parameter of (operation as { parameters?: Array<{ name: string; in: string }> })
          .parameters ?? []) {
          const field = parameter.in === 'header' ? parameter.name : `${parameter.in} ${parameter.name}`;
          expect(
            suite.requests.some(
              (hostile) => hostile.operation === name && hostile.description.startsWith(`${field}:`),
            ),
            `${name} ${field}`,
          ).toBe(true);
        }
      }
    }
    expect(suite.requests.length).toBeGreaterThan(500);
  });

  it('answers every valid baseline without a 5xx or a hang (the hostile requests change one thing of it)', async () => {
    const failures: string[] = [];
    for (const baseline of suite.baselines) {
      const answer = await send(started.url, baseline);
      if (answer.timedOut || answer.status >= 500 || answer.status === 400) {
        failures.push(`${baseline.operation}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses every hostile request: no 2xx, no 5xx, no hang, { error, message } naming the field', async () => {
    const failures: string[] = [];
    const queue = [...suite.requests];
    // A few at a time: fast on two cores, and a hang still shows as one.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let hostile = queue.shift(); hostile !== undefined; hostile = queue.shift()) {
          const answer = await send(started.url, hostile);
          const broken = violation(hostile, answer);
          if (broken !== undefined) failures.push(`${hostile.operation} ${hostile.description}: ${broken}`);
        }
      }),
    );
    expect(failures).toEqual([]);
  });

  it('refuses a token scoped to another channel on every route that takes a token, channel and admin routes alike', async () => {
    const failures: string[] = [];
    const protectedBaselines = suite.baselines.filter((baseline: BaselineRequest) => {
      const [method = '', path = ''] = baseline.operation.split(' ');
      const operation = document.paths[path]?.[method.toLowerCase()];
      return (operation?.security ?? document.security ?? []).length > 0;
    });
    expect(protectedBaselines.some((baseline) => baseline.operation.includes('/v1/admin/'))).toBe(true);
    expect(protectedBaselines.some((baseline) => baseline.channelId !== undefined)).toBe(true);
    for (const baseline of protectedBaselines) {
      const headers = { ...baseline.headers, authorization: `Bearer ${otherChannelToken}` };
      const answer = await send(started.url, { ...baseline, headers });
      // A file belongs to no channel: a token of any channel (of the chatbot) uploads.
      if (/^POST .*\/files$/.test(baseline.operation)) {
        if (answer.status !== 201)
          failures.push(`${baseline.operation}: ${answer.status} ${answer.text.slice(0, 200)}`);
        continue;
      }
      if (answer.status !== 403 || answer.json?.error !== 'forbidden') {
        failures.push(`${baseline.operation}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
      // The same token on its own channel is let through: the refusal is about the channel.
      if (baseline.channelId !== undefined) {
        const own = baseline.path.replace(`/channels/${baseline.channelId}/`, '/channels/other/');
        const onOwn = await send(started.url, { ...baseline, path: own, headers });
        if (onOwn.status === 401 || onOwn.status === 403 || onOwn.status >= 500) {
          failures.push(
            `${baseline.operation} on its own channel: ${onOwn.status} ${onOwn.text.slice(0, 200)}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

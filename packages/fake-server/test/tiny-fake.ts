// A tiny fake built on the kit, as a vendor fake is: records (items), a view and routes; the kit's
// tests drive it over HTTP.
import { request } from 'undici';
import { jsonResponse } from '../src/fake-http-response.js';
import { refuse } from '../src/fake-refusal.js';
import type { FakeRoute } from '../src/fake-router.js';
import { type FakeServerSettings, startFakeServer } from '../src/fake-server.js';
import type { UploadedFile } from '../src/request-body.js';
import type { FakeCaller } from '../src/request-pipeline.js';

interface TinyContext {
  items: Map<string, { id: string; name: string }>;
  baseUrl: string;
}

interface TinyRequest {
  context: TinyContext;
  caller: FakeCaller;
  path: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
}

type TinyRoute = FakeRoute<TinyRequest>;

const view = (item: { id: string; name: string }) => ({ type: 'item', ...item });

const routes: TinyRoute[] = [
  {
    method: 'GET',
    pattern: '/items/:id',
    handle({ context, path }) {
      const item = context.items.get(path.id ?? '');
      return item === undefined
        ? jsonResponse(404, { error: 'no such item' })
        : jsonResponse(200, view(item));
    },
  },
  {
    method: 'POST',
    pattern: '/items',
    handle({ context, body, files, caller }) {
      const name = (body as { name?: unknown } | undefined)?.name ?? files[0]?.filename;
      if (typeof name !== 'string') refuse(jsonResponse(422, { error: 'name is required' }));
      const item = {
        id: String(context.items.size + 1),
        name: caller === 'harness' ? `${name} (harness)` : name,
      };
      context.items.set(item.id, item);
      return jsonResponse(201, view(item));
    },
  },
  {
    method: 'GET',
    pattern: '/broken',
    handle() {
      throw new Error('the route has a bug');
    },
  },
];

export const tinyHarnessHeader = 'x-tiny-harness';
export const tinyToken = 'tiny-token';

export type TinySettings = Partial<
  Pick<
    FakeServerSettings<TinyContext, TinyRoute, { outcome: string }>,
    'responses' | 'rateLimit' | 'forms' | 'now'
  >
>;

/** Starts the tiny fake: `x-token: tiny-token` authenticates; items are the state. */
export async function startTinyFake(settings: TinySettings = {}) {
  return startFakeServer<TinyContext, TinyRoute, { outcome: 'user' | 'none' | 'invalid' }>({
    context: (baseUrl) => ({ items: new Map(), baseUrl }),
    routes,
    harnessHeader: tinyHarnessHeader,
    authenticate: (headers) => {
      const token = headers['x-token'];
      if (token === undefined) return { outcome: 'none' };
      return { outcome: token === tinyToken ? 'user' : 'invalid' };
    },
    intercept: (incoming) =>
      incoming.authentication.outcome === 'user' ? undefined : jsonResponse(401, { error: 'who are you' }),
    routeRequest: (incoming, { path }, context) => ({
      context,
      caller: incoming.caller,
      path,
      body: incoming.body.kind === 'json' ? incoming.body.value : undefined,
      files: incoming.body.kind === 'form' ? incoming.body.files : [],
    }),
    ...settings,
  });
}

/** One call to the fake; `status: 'reset'` when the connection dropped, `'timeout'` when no answer came in time. */
export async function callTiny(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  options: {
    body?: string;
    headers?: Record<string, string>;
    token?: string | null;
    timeoutMs?: number;
  } = {},
) {
  type Answer = {
    status: number | 'reset' | 'timeout';
    headers: Record<string, string | string[] | undefined>;
    text: string;
  };
  try {
    const response = await request(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.token === null ? {} : { 'x-token': options.token ?? tinyToken }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: options.body }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text } satisfies Answer as Answer;
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const status = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'reset';
    return { status, headers: {}, text: '' } satisfies Answer as Answer;
  }
}

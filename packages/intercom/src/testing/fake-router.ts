import type { FakeContext } from './fake-context.js';
import type { FakeHttpResponse } from './fake-http-response.js';

/** Who made a request: an API client (the adapter) or the harness acting in Intercom's UI. */
export type FakeCaller = 'api' | 'harness';

/** What a route gets: the path segments, the query and the parsed JSON body. */
export interface RouteRequest {
  context: FakeContext;
  caller: FakeCaller;
  /** Named path segments, e.g. `{ id: '501' }`. */
  path: Record<string, string>;
  query: Record<string, string>;
  /** Parsed JSON, or undefined when the request had no body. */
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** E.g. `/conversations/:id/reply`. */
  pattern: string;
  /** Answers, or throws a `FakeRefusal`. */
  handle: (request: RouteRequest) => FakeHttpResponse;
}

function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names };
}

export function createRouter(routes: readonly Route[]) {
  const compiled = routes.map((route) => ({ route, ...compile(route.pattern) }));
  return {
    /** The route for a request, with its path segments; undefined when none. */
    match(method: string, pathname: string): { route: Route; path: Record<string, string> } | undefined {
      for (const { route, regex, names } of compiled) {
        if (route.method !== method) continue;
        const found = regex.exec(pathname);
        if (found === null) continue;
        const path: Record<string, string> = {};
        try {
          names.forEach((name, index) => {
            path[name] = decodeURIComponent(found[index + 1] ?? '');
          });
        } catch {
          return undefined;
        }
        return { route, path };
      }
      return undefined;
    },
  };
}

export type FakeRouter = ReturnType<typeof createRouter>;

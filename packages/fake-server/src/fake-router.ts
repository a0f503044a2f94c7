/**
 * The router of a fake: routes by method and path pattern (`/conversations/:id/reply`), with the
 * named segments percent-decoded. A segment that does not decode (`%E0%A4%A`) is told apart from
 * "no route", so the fake answers it as its vendor does instead of failing.
 */
import type { FakeHttpResponse } from './fake-http-response.js';

export type FakeHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One endpoint of a fake: its method, its path pattern and what it does with the request it gets. */
export interface FakeRoute<Request> {
  method: FakeHttpMethod;
  /** The path, with `:name` for a segment, e.g. `/conversations/:id/reply`. A trailing slash also matches. */
  pattern: string;
  /** Answers, or throws a `FakeRefusal`. */
  handle: (request: Request) => FakeHttpResponse;
}

/** What the router found for a request path. */
export type RouteMatch<Route> =
  | { kind: 'route'; route: Route; path: Record<string, string> }
  /** A route matched, but a segment is not valid percent-encoding. */
  | { kind: 'bad-path' }
  | { kind: 'none' };

/** A path segment decoded, or undefined when it is not valid percent-encoding. */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
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

/** Routes requests to the first route of `routes` whose method and pattern match. */
export function createFakeRouter<Route extends { method: string; pattern: string }>(
  routes: readonly Route[],
) {
  const compiled = routes.map((route) => ({ route, ...compile(route.pattern) }));
  return {
    match(method: string, pathname: string): RouteMatch<Route> {
      for (const { route, regex, names } of compiled) {
        if (route.method !== method) continue;
        const found = regex.exec(pathname);
        if (found === null) continue;
        const path: Record<string, string> = {};
        for (const [index, name] of names.entries()) {
          const decoded = decodePathSegment(found[index + 1] ?? '');
          if (decoded === undefined) return { kind: 'bad-path' };
          path[name] = decoded;
        }
        return { kind: 'route', route, path };
      }
      return { kind: 'none' };
    },
  };
}

export type FakeRouter<Route extends { method: string; pattern: string }> = ReturnType<
  typeof createFakeRouter<Route>
>;

/** What a route of the fake Intercom is, and the request it gets: the caller, the path segments, the query and the JSON body. */
import type { FakeCaller, FakeRequest, FakeRoute } from '@handoff/fake-server';
import type { FakeContext } from './fake-context.js';

export interface RouteRequest {
  context: FakeContext;
  caller: FakeCaller;
  /** Named path segments, e.g. `{ id: '501' }`. */
  path: Record<string, string>;
  query: Record<string, string>;
  /** Parsed JSON, or undefined when the request had no body. */
  body: unknown;
}

/** An endpoint of the fake, e.g. `POST /conversations/:id/reply`. Answers, or throws a `FakeRefusal`. */
export type Route = FakeRoute<RouteRequest>;

export function intercomRouteRequest(
  request: FakeRequest<{ outcome: string }>,
  { path }: { path: Record<string, string> },
  context: FakeContext,
): RouteRequest {
  return {
    context,
    caller: request.caller,
    path,
    query: request.query,
    body: request.body.kind === 'json' ? request.body.value : undefined,
  };
}

import type { ChatwootBehaviours } from '../chatwoot-versions.js';
import type { FakeTokenOwner } from './fake-actor.js';
import type { FakeContext } from './fake-context.js';
import type { FakeHttpResponse } from './fake-http-response.js';
import type { Params } from './fake-params.js';
import type { UploadedFile } from './fake-request-body.js';

/** What an Application API action gets: who called, the path segments and the merged parameters. */
export interface RouteRequest {
  context: FakeContext;
  owner: FakeTokenOwner;
  /** Named path segments, e.g. `{ id: '12' }`. */
  path: Record<string, string>;
  /** Query and body parameters merged, as Rails' `params` (the body wins). */
  params: Params;
  query: Record<string, string>;
  files: UploadedFile[];
}

/** An action under `/api/v1/accounts/:account_id`. */
export interface AccountRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the account, e.g. `/conversations/:id/messages`. */
  pattern: string;
  /** The Rails `controller#action`, which the bot-token check goes by. */
  endpoint: string;
  /** Whether the release has this route at all (`config/routes.rb` of its tag); default yes. */
  available?: (behaviours: ChatwootBehaviours) => boolean;
  handle: (request: RouteRequest) => FakeHttpResponse;
}

const accountPrefix = /^\/api\/v1\/accounts\/([^/]+)(\/.*)$/;

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

export function createAccountRouter(routes: readonly AccountRoute[]) {
  const compiled = routes.map((route) => ({ route, ...compile(route.pattern) }));
  return {
    /** The route for a request path, with the account id and path segments; undefined when none. */
    match(
      method: string,
      pathname: string,
    ):
      | { route: AccountRoute; accountId: string; path: Record<string, string> }
      | { badRequest: true }
      | undefined {
      const prefixed = accountPrefix.exec(pathname);
      if (prefixed === null) return undefined;
      const [, accountId = '', rest = ''] = prefixed;
      for (const { route, regex, names } of compiled) {
        if (route.method !== method) continue;
        const found = regex.exec(rest);
        if (found === null) continue;
        const path: Record<string, string> = {};
        try {
          names.forEach((name, index) => {
            path[name] = decodeURIComponent(found[index + 1] ?? '');
          });
        } catch {
          // A bad %-escape is Rails' ActionController::BadRequest: 400, before any action.
          return { badRequest: true };
        }
        return { route, accountId, path };
      }
      return undefined;
    },
  };
}

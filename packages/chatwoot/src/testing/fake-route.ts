/**
 * What a route of the fake Chatwoot is (a Rails action under `/api/v1/accounts/:account_id`) and
 * the request it gets, built after the checks Chatwoot runs before any action.
 */
import type { FakeRequest, FakeRoute, UploadedFile } from '@handoff/fake-server';
import { refuse } from '@handoff/fake-server';
import type { ChatwootBehaviours } from '../chatwoot-versions.js';
import type { FakeTokenOwner } from './fake-actor.js';
import { authorizeAccountRequest, authorizeToken, type ChatwootAuthentication } from './fake-auth.js';
import type { FakeContext } from './fake-context.js';
import { chatwootErrors } from './fake-errors.js';
import type { Params } from './fake-params.js';
import type { FakePlatformApp } from './fake-platform-records.js';
import { railsParams } from './fake-rails-params.js';

/** The account's checks, then the context of that account (its state and webhooks). */
function withAccount(
  context: FakeContext,
  authentication: ChatwootAuthentication,
  endpoint: string,
  accountId: string,
): { owner: FakeTokenOwner; accountContext: FakeContext } {
  const { entry, owner } = authorizeAccountRequest(
    context.installation,
    context.state.behaviours,
    authentication,
    endpoint,
    accountId,
  );
  return { owner, accountContext: { ...context, state: entry.state, webhooks: entry.webhooks } };
}

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
export interface AccountRoute extends FakeRoute<RouteRequest> {
  /** Relative to the account, e.g. `/conversations/:id/messages`. */
  pattern: string;
  /** The Rails `controller#action`, which the bot-token check goes by. */
  endpoint: string;
  /** Whether the release has this route at all (`config/routes.rb` of its tag); default yes. */
  available?: (behaviours: ChatwootBehaviours) => boolean;
  /** Not under an account: `pattern` is below `/api/v1` (the profile); only the token is checked. */
  outsideAccount?: boolean;
}

/** What a Platform API action gets: the platform app that called, the path segments and the parameters. */
export interface PlatformRequest {
  context: FakeContext;
  platformApp: FakePlatformApp;
  path: Record<string, string>;
  params: Params;
}

/** An action under `/platform/api/v1` (`PlatformController`): only a platform app's token opens it. */
export interface PlatformRoute extends FakeRoute<PlatformRequest> {
  platform: true;
  /** Relative to `/platform/api/v1`, e.g. `/accounts/:id`. */
  pattern: string;
  endpoint: string;
}

export type ChatwootRoute = AccountRoute | PlatformRoute;

/** The routes with their full paths, as the router matches them. */
export const underAccount = (routes: readonly AccountRoute[]): AccountRoute[] =>
  routes.map((route) => ({
    ...route,
    pattern: route.outsideAccount
      ? `/api/v1${route.pattern}`
      : `/api/v1/accounts/:account_id${route.pattern}`,
  }));

export const underPlatform = (routes: readonly PlatformRoute[]): PlatformRoute[] =>
  routes.map((route) => ({ ...route, pattern: `/platform/api/v1${route.pattern}` }));

/**
 * The request of a matched action, once the release has the route and Chatwoot's auth checks
 * (`authorizeAccountRequest`) pass; otherwise it refuses with their answer.
 */
export function chatwootRouteRequest(
  request: FakeRequest<ChatwootAuthentication>,
  { route, path }: { route: ChatwootRoute; path: Record<string, string> },
  context: FakeContext,
): RouteRequest | PlatformRequest {
  if ('platform' in route) {
    // `ensure_access_token` then `set_platform_app`: anything but a platform app's token is refused.
    const { platformApp } = request.authentication;
    if (platformApp === undefined) return refuse(chatwootErrors.invalidPlatformToken());
    return { context, platformApp, path, params: railsParams(request.body, request.query) };
  }
  if (route.available?.(context.state.behaviours) === false) refuse(chatwootErrors.noRoute());
  const { account_id: accountId = '', ...segments } = path;
  const { owner, accountContext } = route.outsideAccount
    ? {
        owner: authorizeToken(context.state.behaviours, request.authentication, route.endpoint),
        accountContext: context,
      }
    : withAccount(context, request.authentication, route.endpoint, accountId);
  return {
    context: accountContext,
    owner,
    path: segments,
    params: railsParams(request.body, request.query),
    query: request.query,
    files: request.body.kind === 'form' ? request.body.files : [],
  };
}

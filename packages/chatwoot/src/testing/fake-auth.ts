import type { IncomingHttpHeaders } from 'node:http';
import { refuse } from '@handoff/fake-server';
import type { ChatwootBehaviours } from '../chatwoot-versions.js';
import type { FakeTokenOwner } from './fake-actor.js';
import { chatwootErrors } from './fake-errors.js';
import type { FakeState } from './fake-state.js';

export type AuthOutcome = 'user' | 'bot' | 'none' | 'invalid';

/** How a request authenticated, and whose token it carries. */
export interface ChatwootAuthentication {
  outcome: AuthOutcome;
  owner?: FakeTokenOwner;
}

/**
 * The only endpoints an agent-bot token may call (`BOT_ACCESSIBLE_ENDPOINTS` in
 * `app/controllers/concerns/access_token_auth_helper.rb`), named `controller#action` like Rails
 * routes. 4.11.2 added `toggle_typing_status`; 4.14.2 added `show` and the labels endpoints.
 */
function botAccessibleEndpoints(behaviours: ChatwootBehaviours): ReadonlySet<string> {
  return new Set([
    'conversations#toggle_status',
    'conversations#toggle_priority',
    'conversations#create',
    'conversations#update',
    'conversations#custom_attributes',
    'conversations/messages#create',
    'conversations/assignments#create',
    ...(behaviours.botMayToggleTyping ? ['conversations#toggle_typing_status'] : []),
    ...(behaviours.botMayReadConversations
      ? ['conversations#show', 'conversations/labels#index', 'conversations/labels#create']
      : []),
  ]);
}

/** The token of a request: `api_access_token`, or `api-access-token` (`access_token_auth_helper.rb`; the dashed one survives nginx). */
function readAccessToken(headers: IncomingHttpHeaders): string | undefined {
  for (const name of ['api_access_token', 'api-access-token']) {
    const value = headers[name];
    const token = Array.isArray(value) ? value[0] : value;
    if (token !== undefined && token.trim() !== '') return token.trim();
  }
  return undefined;
}

export function authenticate(state: FakeState, headers: IncomingHttpHeaders): ChatwootAuthentication {
  const token = readAccessToken(headers);
  if (token === undefined) return { outcome: 'none' };
  const user = state.users.find((candidate) => candidate.accessToken === token);
  if (user !== undefined) return { outcome: 'user', owner: { kind: 'user', user } };
  const bot = state.agentBots.find((candidate) => candidate.accessToken === token);
  if (bot !== undefined) return { outcome: 'bot', owner: { kind: 'bot', bot } };
  return { outcome: 'invalid' };
}

/**
 * The checks Chatwoot runs before any account action, in its order: a token at all, a known token
 * (`authenticate_access_token!`), a bot only on bot endpoints (`validate_bot_access_token!`), then
 * the account (`ensure_current_account_helper.rb`: an unknown account is a 404, a suspended one
 * refuses everybody, then membership). Returns the token's owner, or refuses with the error answer.
 */
export function authorizeAccountRequest(
  state: FakeState,
  behaviours: ChatwootBehaviours,
  authentication: ChatwootAuthentication,
  endpoint: string,
  accountId: string,
): FakeTokenOwner {
  const owner = authorizeToken(behaviours, authentication, endpoint);
  // `Account.find(params[:account_id])`: Rails casts the segment to an integer.
  if (Number.parseInt(accountId, 10) !== state.account.id) return refuse(chatwootErrors.notFound());
  if (state.account.status === 'suspended') return refuse(chatwootErrors.accountSuspended());
  return owner;
}

/**
 * The token checks of every Application API action, account or not (`Api::BaseController`): a
 * token at all, a known token (`authenticate_access_token!`), a bot only on bot endpoints
 * (`validate_bot_access_token!`).
 */
export function authorizeToken(
  behaviours: ChatwootBehaviours,
  authentication: ChatwootAuthentication,
  endpoint: string,
): FakeTokenOwner {
  const { owner } = authentication;
  if (authentication.outcome === 'none') return refuse(chatwootErrors.signInRequired());
  if (owner === undefined) return refuse(chatwootErrors.invalidAccessToken());
  if (owner.kind === 'bot' && !botAccessibleEndpoints(behaviours).has(endpoint))
    return refuse(chatwootErrors.notForBots());
  return owner;
}

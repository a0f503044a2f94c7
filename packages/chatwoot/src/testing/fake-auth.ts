import type { IncomingHttpHeaders } from 'node:http';
import { refuse } from '@handoff/fake-server';
import type { ChatwootBehaviours } from '../chatwoot-versions.js';
import type { FakeTokenOwner } from './fake-actor.js';
import { chatwootErrors } from './fake-errors.js';
import type { FakeAccountEntry, FakeInstallation } from './fake-installation.js';
import type { FakePlatformApp } from './fake-platform-records.js';

export type AuthOutcome = 'user' | 'bot' | 'platform' | 'none' | 'invalid';

/** How a request authenticated, and whose token it carries. */
export interface ChatwootAuthentication {
  outcome: AuthOutcome;
  /** A user (as a member of the first account that lists them) or a bot. */
  owner?: FakeTokenOwner;
  /** The user of a user token, whatever accounts they belong to. */
  userId?: number;
  /** The platform app of a platform token (`AccessToken#owner` a `PlatformApp`). */
  platformApp?: FakePlatformApp;
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

/**
 * Whose token a request carries: `AccessToken.find_by(token:)` over the whole installation, so a
 * user's, an agent bot's or a platform app's (`access_token_auth_helper.rb`, `platform_controller.rb`).
 */
export function authenticate(
  installation: FakeInstallation,
  headers: IncomingHttpHeaders,
): ChatwootAuthentication {
  const token = readAccessToken(headers);
  if (token === undefined) return { outcome: 'none' };
  const platformApp = installation.platformApps.find((candidate) => candidate.accessToken === token);
  if (platformApp !== undefined) return { outcome: 'platform', platformApp };
  const user = installation.users.find((candidate) => candidate.accessToken === token);
  if (user !== undefined) {
    const member = [...installation.accounts.values()]
      .map((entry) => entry.state.users.find((candidate) => candidate.id === user.id))
      .find((candidate) => candidate !== undefined);
    const owner: FakeTokenOwner = {
      kind: 'user',
      user: member ?? {
        id: user.id,
        name: user.name,
        email: user.email,
        role: 'agent',
        accessToken: user.accessToken,
        availability: 'online',
        autoOffline: true,
        present: false,
      },
    };
    return { outcome: 'user', owner, userId: user.id };
  }
  const bot = installation.agentBots.find((candidate) => candidate.accessToken === token);
  if (bot !== undefined) return { outcome: 'bot', owner: { kind: 'bot', bot } };
  return { outcome: 'invalid' };
}

/**
 * The checks Chatwoot runs before any account action, in its order: a token at all, a known token
 * (`authenticate_access_token!`), a bot only on bot endpoints (`validate_bot_access_token!`), then
 * the account (`ensure_current_account_helper.rb`: an unknown account is a 404, a suspended one
 * refuses everybody, then a user must be a member and a bot the account's or attached to one of
 * its inboxes). Returns the account and the token's owner as that account knows them (a user with
 * their role there), or refuses with the error answer.
 */
export function authorizeAccountRequest(
  installation: FakeInstallation,
  behaviours: ChatwootBehaviours,
  authentication: ChatwootAuthentication,
  endpoint: string,
  accountId: string,
): { entry: FakeAccountEntry; owner: FakeTokenOwner } {
  const owner = authorizeToken(behaviours, authentication, endpoint);
  // `Account.find(params[:account_id])`: Rails casts the segment to an integer.
  const entry = installation.accounts.get(Number.parseInt(accountId, 10));
  if (entry === undefined) return refuse(chatwootErrors.notFound());
  const { state } = entry;
  if (state.account.status === 'suspended') return refuse(chatwootErrors.accountSuspended());
  if (owner.kind === 'user') {
    const member = state.users.find((candidate) => candidate.id === owner.user.id);
    if (member === undefined) return refuse(chatwootErrors.notAccountMember());
    return { entry, owner: { kind: 'user', user: member } };
  }
  const attached = state.inbox.agentBotId === owner.bot.id;
  if (owner.bot.accountId !== state.account.id && !attached) return refuse(chatwootErrors.botNotInAccount());
  return { entry, owner };
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
  // A platform app's token is found, but it is neither a User nor an AgentBot: `Current.user` stays
  // unset and `validate_bot_access_token!` refuses it like a bot on a bot-less endpoint.
  if (authentication.outcome === 'platform') return refuse(chatwootErrors.notForBots());
  if (owner === undefined) return refuse(chatwootErrors.invalidAccessToken());
  if (owner.kind === 'bot' && !botAccessibleEndpoints(behaviours).has(endpoint))
    return refuse(chatwootErrors.notForBots());
  return owner;
}

import { jsonResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { profileView } from './fake-rest-views.js';
import type { AccountRoute } from './fake-route.js';

/**
 * `GET /api/v1/profile` (`Api::V1::ProfilesController#show`): the token's user and their accounts.
 * Not under an account; a bot token is refused by `validate_bot_access_token!` before the action.
 */
const showProfile: AccountRoute = {
  method: 'GET',
  pattern: '/profile',
  endpoint: 'profiles#show',
  outsideAccount: true,
  handle({ context, owner }) {
    if (owner.kind !== 'user') return chatwootErrors.notForBots();
    const accounts = [...context.installation.accounts.values()].map((entry) => entry.state);
    return jsonResponse(200, profileView(accounts, owner.user));
  },
};

export const profileRoutes: AccountRoute[] = [showProfile];

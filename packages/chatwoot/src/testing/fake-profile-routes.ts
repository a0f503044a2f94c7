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
    return jsonResponse(200, profileView(context.state, owner.user));
  },
};

export const profileRoutes: AccountRoute[] = [showProfile];

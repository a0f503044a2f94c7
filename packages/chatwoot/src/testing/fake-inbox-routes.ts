import { chatwootErrors, jsonResponse } from './fake-http-response.js';
import { readInteger } from './fake-params.js';
import { inboxView } from './fake-rest-views.js';
import type { AccountRoute } from './fake-router.js';

/** An inbox shows to administrators and to its members (InboxPolicy#show?); bots may not read it. */
const showInbox: AccountRoute = {
  method: 'GET',
  pattern: '/inboxes/:id',
  endpoint: 'inboxes#show',
  handle({ context, owner, path }) {
    const inbox = context.state.inbox;
    if (readInteger(path.id) !== inbox.id) return chatwootErrors.notFound();
    if (owner.kind !== 'user') return chatwootErrors.notAuthorized();
    if (owner.user.role !== 'administrator' && !inbox.memberIds.includes(owner.user.id)) {
      return chatwootErrors.notAuthorized();
    }
    return jsonResponse(200, inboxView(inbox));
  },
};

export const inboxRoutes: AccountRoute[] = [showInbox];

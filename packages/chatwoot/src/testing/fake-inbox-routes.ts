import { randomBytes } from 'node:crypto';
import { jsonResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { readInteger } from './fake-params.js';
import { inboxView } from './fake-rest-views.js';
import type { AccountRoute } from './fake-route.js';

/**
 * `InboxesController#show`: administrators and the inbox's members (`InboxPolicy#show?`); bots are
 * refused before (`BOT_ACCESSIBLE_ENDPOINTS`).
 */
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
    return jsonResponse(200, inboxView(context.state, inbox, owner));
  },
};

/** `InboxesController#reset_secret` (4.13.0, administrators): a new webhook secret, answered with the inbox. */
const resetInboxSecret: AccountRoute = {
  method: 'POST',
  pattern: '/inboxes/:id/reset_secret',
  endpoint: 'inboxes#reset_secret',
  available: (behaviours) => behaviours.inboxWebhooksSigned,
  handle({ context, owner, path }) {
    const inbox = context.state.inbox;
    if (readInteger(path.id) !== inbox.id) return chatwootErrors.notFound();
    if (owner.kind !== 'user' || owner.user.role !== 'administrator') return chatwootErrors.notAuthorized();
    inbox.secret = randomBytes(18).toString('base64url');
    return jsonResponse(200, inboxView(context.state, inbox, owner));
  },
};

export const inboxRoutes: AccountRoute[] = [showInbox, resetInboxSecret];

import { findContactInboxBySourceId, findOrCreateContactInbox } from './fake-contact-inboxes.js';
import { requestedConversation } from './fake-conversation-access.js';
import { createConversation } from './fake-conversation-creation.js';
import { readPriority, readStatus, readTime } from './fake-conversation-params.js';
import { updateConversation } from './fake-conversation-updates.js';
import { chatwootErrors, jsonResponse } from './fake-http-response.js';
import { messageValidationError, postMessage } from './fake-message-creation.js';
import { messageFromParams } from './fake-message-params.js';
import { hasParam, readInteger, readRecord, readString, readStringArray } from './fake-params.js';
import type { FakeContact, FakeContactInbox } from './fake-records.js';
import { conversationView } from './fake-rest-views.js';
import type { AccountRoute, RouteRequest } from './fake-router.js';
import { findContact, findTeam, findUser } from './fake-state.js';

const conversationsPerPage = 25;

/**
 * The contact_inbox a create request names (notes §1.3): with inbox_id + contact_id, found or
 * created by source_id (a new UUID when none is given); with only source_id, looked up anywhere.
 */
function contactInboxFor(
  request: RouteRequest,
): { contact: FakeContact; contactInbox: FakeContactInbox } | { error: ReturnType<typeof jsonResponse> } {
  const { context, params } = request;
  const sourceId = readString(params.source_id);
  if (hasParam(params, 'inbox_id') || hasParam(params, 'contact_id')) {
    const contact = findContact(context.state, readInteger(params.contact_id));
    if (readInteger(params.inbox_id) !== context.state.inbox.id || contact === undefined) {
      return { error: chatwootErrors.notFound() };
    }
    const built = findOrCreateContactInbox(context, contact, sourceId);
    if ('clash' in built) return { error: chatwootErrors.unprocessable('source_id should be unique') };
    return { contact, contactInbox: built.contactInbox };
  }
  const found = sourceId === undefined ? undefined : findContactInboxBySourceId(context, sourceId);
  return found ?? { error: chatwootErrors.notFound() };
}

const createConversationRoute: AccountRoute = {
  method: 'POST',
  pattern: '/conversations',
  endpoint: 'conversations#create',
  handle(request) {
    const { context, params, owner } = request;
    const status = readStatus(params.status) ?? 'open';
    if (typeof status === 'object') return chatwootErrors.unprocessable(status.error);
    const target = contactInboxFor(request);
    if ('error' in target) return target.error;
    // The optional first message goes through the message builder, into the conversation the
    // builder returns (with lock_to_single_conversation, the old one).
    const firstMessageParams = readRecord(params.message);
    const firstMessage =
      firstMessageParams === undefined
        ? undefined
        : messageFromParams(context.state, { contactId: target.contact.id }, owner, firstMessageParams, []);
    if (firstMessage !== undefined && 'error' in firstMessage)
      return chatwootErrors.unprocessable(firstMessage.error);
    const { conversation } = createConversation(
      context,
      {
        ...target,
        status,
        snoozedUntil: readTime(params.snoozed_until),
        assigneeId: findUser(context.state, readInteger(params.assignee_id))?.id ?? null,
        teamId: findTeam(context.state, readInteger(params.team_id))?.id ?? null,
        customAttributes: readRecord(params.custom_attributes) ?? {},
        additionalAttributes: readRecord(params.additional_attributes) ?? {},
      },
      owner,
    );
    if (firstMessage !== undefined) {
      const problem = messageValidationError(context, conversation, firstMessage);
      if (problem !== undefined) return chatwootErrors.unprocessable(problem);
      postMessage(context, conversation, firstMessage);
    }
    return jsonResponse(200, conversationView(context.state, conversation, owner));
  },
};

const listConversations: AccountRoute = {
  method: 'GET',
  pattern: '/conversations',
  endpoint: 'conversations#index',
  handle({ context, params, owner }) {
    const status = readString(params.status) ?? 'open';
    const inboxId = readInteger(params.inbox_id);
    const teamId = readInteger(params.team_id);
    const sourceId = readString(params.source_id);
    const labels = readStringArray(params.labels) ?? [];
    const filtered = context.state.conversations
      .filter((conversation) => status === 'all' || conversation.status === status)
      .filter((conversation) => inboxId === undefined || conversation.inboxId === inboxId)
      .filter((conversation) => teamId === undefined || conversation.teamId === teamId)
      .filter((conversation) => labels.every((label) => conversation.labels.includes(label)))
      .filter(
        (conversation) =>
          sourceId === undefined ||
          findContact(context.state, conversation.contactId)?.contactInboxes.some(
            (item) => item.id === conversation.contactInboxId && item.sourceId === sourceId,
          ),
      )
      .sort((left, right) => right.lastActivityAt.getTime() - left.lastActivityAt.getTime());
    const ownerId = owner.kind === 'user' ? owner.user.id : undefined;
    const mine = filtered.filter((conversation) => conversation.assigneeId === ownerId);
    const assigned = filtered.filter((conversation) => conversation.assigneeId !== null);
    const unassigned = filtered.filter((conversation) => conversation.assigneeId === null);
    const byAssignee: Record<string, typeof filtered> = { me: mine, assigned, unassigned, all: filtered };
    const page = Math.max(1, readInteger(params.page) ?? 1);
    const listed = (byAssignee[readString(params.assignee_type) ?? 'all'] ?? filtered).slice(
      (page - 1) * conversationsPerPage,
      page * conversationsPerPage,
    );
    return jsonResponse(200, {
      data: {
        meta: {
          mine_count: mine.length,
          assigned_count: assigned.length,
          unassigned_count: unassigned.length,
          all_count: filtered.length,
        },
        payload: listed.map((conversation) => conversationView(context.state, conversation, owner)),
      },
    });
  },
};

const showConversation: AccountRoute = {
  method: 'GET',
  pattern: '/conversations/:id',
  endpoint: 'conversations#show',
  handle(request) {
    const found = requestedConversation(request, 'id');
    if ('error' in found) return found.error;
    return jsonResponse(200, conversationView(request.context.state, found.conversation, request.owner));
  },
};

/** `PATCH /conversations/{id}` permits only `priority`: it cannot change team or status (notes §1.3). */
const updateConversationRoute: AccountRoute = {
  method: 'PATCH',
  pattern: '/conversations/:id',
  endpoint: 'conversations#update',
  handle(request) {
    const found = requestedConversation(request, 'id');
    if ('error' in found) return found.error;
    const { context, params, owner } = request;
    if (hasParam(params, 'priority')) {
      const priority = readPriority(params.priority);
      if (typeof priority === 'object' && priority !== null)
        return chatwootErrors.unprocessable(priority.error);
      updateConversation(context, found.conversation, { priority }, owner);
    }
    return jsonResponse(200, conversationView(context.state, found.conversation, owner));
  },
};

export const conversationRoutes: AccountRoute[] = [
  createConversationRoute,
  listConversations,
  showConversation,
  updateConversationRoute,
];

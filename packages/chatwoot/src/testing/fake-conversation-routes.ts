import { jsonResponse } from '@handoff/fake-server';
import { findContactInboxBySourceId, findOrCreateContactInbox } from './fake-contact-inboxes.js';
import { requestedConversation } from './fake-conversation-access.js';
import { createConversation } from './fake-conversation-creation.js';
import { readPriority, readStatus, readTime } from './fake-conversation-params.js';
import { updateConversation } from './fake-conversation-updates.js';
import { chatwootErrors } from './fake-errors.js';
import { jsonbAttributeProblems } from './fake-jsonb-attributes.js';
import { messageValidationError, postMessage } from './fake-message-creation.js';
import { messageFromParams } from './fake-message-params.js';
import { hasParam, readInteger, readRecord, readString, readStringArray } from './fake-params.js';
import type { FakeContact, FakeContactInbox } from './fake-records.js';
import { conversationAnswer, conversationView } from './fake-rest-views.js';
import type { AccountRoute, RouteRequest } from './fake-route.js';
import { findContact, findTeam, findUser, isInboxMember } from './fake-state.js';

const conversationsPerPage = 25;

/**
 * The contact_inbox a create request names (`ConversationsController` `inbox`, `contact`,
 * `contact_inbox`): with inbox_id + contact_id, found or created by source_id (a new UUID when
 * none is given); otherwise looked up by source_id anywhere. The caller must be allowed the inbox
 * (`InboxPolicy#show?`: bots, administrators, members; else 401).
 */
function contactInboxFor(
  request: RouteRequest,
): { contact: FakeContact; contactInbox: FakeContactInbox } | { error: ReturnType<typeof jsonResponse> } {
  const { context, params, owner } = request;
  const sourceId = readString(params.source_id);
  const blank = (value: unknown) => value === undefined || value === null || value === '';
  const mayUseInbox =
    owner.kind !== 'user' ||
    owner.user.role === 'administrator' ||
    isInboxMember(context.state, owner.user.id);
  // `inbox`: found (404), then `authorize @inbox, :show?` (401); skipped when inbox_id is blank.
  if (!blank(params.inbox_id)) {
    if (readInteger(params.inbox_id) !== context.state.inbox.id) return { error: chatwootErrors.notFound() };
    if (!mayUseInbox) return { error: chatwootErrors.notAuthorized() };
  }
  // `contact`: found (404); skipped when contact_id is blank.
  const contact = blank(params.contact_id)
    ? undefined
    : findContact(context.state, readInteger(params.contact_id));
  if (!blank(params.contact_id) && contact === undefined) return { error: chatwootErrors.notFound() };
  // `contact_inbox`: built from both, else looked up by source_id anywhere (404), then authorised.
  if (!blank(params.inbox_id) && contact !== undefined) {
    const built = findOrCreateContactInbox(context, contact, sourceId);
    if ('clash' in built) return { error: chatwootErrors.unprocessable('source_id should be unique') };
    return { contact, contactInbox: built.contactInbox };
  }
  const found = sourceId === undefined ? undefined : findContactInboxBySourceId(context, sourceId);
  if (found === undefined) return { error: chatwootErrors.notFound() };
  if (!mayUseInbox) return { error: chatwootErrors.notAuthorized() };
  return found;
}

/**
 * `ConversationsController#create`, in one transaction: `ConversationBuilder` (the attribute
 * hashes validated by `JsonbAttributesLengthValidator`), then the optional first message through
 * `Messages::MessageBuilder`. Any failure rolls everything back: 422 `{message, attributes}` for a
 * validation (`rescue_from ActiveRecord::RecordInvalid`), and nothing was created or sent. The
 * answer is the conversation partial, rendered after the commit (so with a bot token and a team,
 * the 500 comes after the conversation exists).
 */
const createConversationRoute: AccountRoute = {
  method: 'POST',
  pattern: '/conversations',
  endpoint: 'conversations#create',
  handle(request) {
    const { context, params, owner } = request;
    const target = contactInboxFor(request);
    if ('error' in target) return target.error;
    // The builder assigns the status: an unknown one raises ArgumentError, unrescued (500).
    const status = readStatus(params.status) ?? 'open';
    if (typeof status === 'object') return chatwootErrors.serverError();
    const customAttributes = readRecord(params.custom_attributes) ?? {};
    const additionalAttributes = readRecord(params.additional_attributes) ?? {};
    const attributeProblems = [
      ...jsonbAttributeProblems('additional_attributes', additionalAttributes),
      ...jsonbAttributeProblems('custom_attributes', customAttributes),
    ];
    if (attributeProblems.length > 0) return chatwootErrors.invalidRecord(attributeProblems);
    // The optional first message goes through the message builder, into the conversation the
    // builder returns (with lock_to_single_conversation, the old one).
    const firstMessageParams = readRecord(params.message);
    const firstMessage =
      firstMessageParams === undefined
        ? undefined
        : messageFromParams(context.state, { contactId: target.contact.id }, owner, firstMessageParams, []);
    if (firstMessage !== undefined && 'error' in firstMessage) return chatwootErrors.serverError();
    if (firstMessage !== undefined) {
      const problem = messageValidationError(context, undefined, firstMessage);
      if (problem !== undefined) {
        return chatwootErrors.invalidRecord([
          { attribute: 'content', message: problem.replace(/^Validation failed: /, '') },
        ]);
      }
    }
    const { conversation } = createConversation(
      context,
      {
        ...target,
        status,
        snoozedUntil: readTime(params.snoozed_until),
        assigneeId: findUser(context.state, readInteger(params.assignee_id))?.id ?? null,
        teamId: findTeam(context.state, readInteger(params.team_id))?.id ?? null,
        customAttributes,
        additionalAttributes,
      },
      owner,
    );
    if (firstMessage !== undefined) postMessage(context, conversation, firstMessage, owner);
    return conversationAnswer(context.state, conversation, owner);
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
    // `ConversationFinder#set_team`: `current_account.teams.find(params[:team_id])`.
    if (teamId !== undefined && findTeam(context.state, teamId) === undefined)
      return chatwootErrors.notFound();
    const sourceId = readString(params.source_id);
    const labels = readStringArray(params.labels) ?? [];
    const filtered = context.state.conversations
      .filter((conversation) => status === 'all' || conversation.status === status)
      .filter((conversation) => inboxId === undefined || conversation.inboxId === inboxId)
      .filter((conversation) => teamId === undefined || conversation.teamId === teamId)
      // `tagged_with(labels, any: true)`.
      .filter(
        (conversation) => labels.length === 0 || labels.some((label) => conversation.labels.includes(label)),
      )
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

/** `ConversationsController#show`: the partial (with a bot token and a team: 500, see `conversationAnswer`). */
const showConversation: AccountRoute = {
  method: 'GET',
  pattern: '/conversations/:id',
  endpoint: 'conversations#show',
  handle(request) {
    const found = requestedConversation(request, 'id');
    if ('error' in found) return found.error;
    return conversationAnswer(request.context.state, found.conversation, request.owner);
  },
};

/**
 * `PATCH|PUT /conversations/{id}` permits only `priority` (`permitted_update_params`): it cannot
 * change team or status. A blank priority clears it.
 */
const updateConversationRoute = (method: 'PATCH' | 'PUT'): AccountRoute => ({
  method,
  pattern: '/conversations/:id',
  endpoint: 'conversations#update',
  handle(request) {
    const found = requestedConversation(request, 'id');
    if ('error' in found) return found.error;
    const { context, params, owner } = request;
    if (hasParam(params, 'priority')) {
      const priority = readPriority(params.priority);
      if (typeof priority === 'object' && priority !== null) return chatwootErrors.serverError();
      updateConversation(context, found.conversation, { priority }, owner);
    }
    return conversationAnswer(context.state, found.conversation, owner);
  },
});

export const conversationRoutes: AccountRoute[] = [
  createConversationRoute,
  listConversations,
  showConversation,
  updateConversationRoute('PATCH'),
  updateConversationRoute('PUT'),
];

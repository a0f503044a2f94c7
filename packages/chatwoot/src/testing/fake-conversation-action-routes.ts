import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';
import { requestedConversation } from './fake-conversation-access.js';
import { readPriority, readStatus, readUnixSeconds } from './fake-conversation-params.js';
import { updateConversation } from './fake-conversation-updates.js';
import { chatwootErrors } from './fake-errors.js';
import { jsonbAttributeProblems } from './fake-jsonb-attributes.js';
import { readRecord, readString, readStringArray } from './fake-params.js';
import type { FakeConversationStatus } from './fake-records.js';
import type { AccountRoute } from './fake-route.js';
import { isoTimeOrNull } from './fake-time.js';
import { typingEventPayload } from './fake-webhook-payloads.js';

/** Rails' `head :ok`: a 200 with no body. */
const emptyOk = (): FakeHttpResponse => ({ status: 200, headers: {}, body: '' });

/**
 * `ConversationsController#toggle_status`: an agent bot moving pending→open is `bot_handoff!`
 * (`app/models/conversation.rb`): `waiting_since` is saved first when blank (its own
 * `conversation_updated`), then the open, and every inbox member is notified; `@status` is never
 * set on that path, so the answer carries `"success": null`. With `status` it is set and saved
 * (`success: true`); without, it toggles open↔resolved (pending or snoozed → open). An
 * AGENT-role user token that leaves it open then assigns it to itself, in a second save.
 */
const toggleStatus: AccountRoute = {
  method: 'POST',
  pattern: '/conversations/:conversation_id/toggle_status',
  endpoint: 'conversations#toggle_status',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const { conversation } = found;
    const { context, params, owner } = request;
    const requested = readStatus(params.status);
    if (typeof requested === 'object') return chatwootErrors.serverError();
    const botHandoff = owner.kind === 'bot' && conversation.status === 'pending' && requested === 'open';
    let success: boolean | null = true;
    if (botHandoff) {
      success = null;
      if (conversation.waitingSince === null)
        updateConversation(context, conversation, { waitingSince: context.now() }, owner);
      updateConversation(context, conversation, { status: 'open' }, owner);
      for (const userId of context.state.inbox.memberIds) {
        context.state.notifications.push({
          userId,
          conversationId: conversation.displayId,
          kind: 'bot_handoff',
        });
      }
    } else {
      const status: FakeConversationStatus =
        requested ?? (conversation.status === 'open' ? 'resolved' : 'open');
      const snoozedUntil = status === 'snoozed' ? readUnixSeconds(params.snoozed_until) : null;
      if (snoozedUntil !== null && !(snoozedUntil instanceof Date)) return chatwootErrors.serverError();
      updateConversation(context, conversation, { status, snoozedUntil }, owner);
    }
    if (owner.kind === 'user' && owner.user.role === 'agent' && conversation.status === 'open') {
      updateConversation(context, conversation, { assigneeId: owner.user.id }, owner);
    }
    return jsonResponse(200, {
      meta: {},
      payload: {
        success,
        conversation_id: conversation.displayId,
        current_status: conversation.status,
        snoozed_until: isoTimeOrNull(conversation.snoozedUntil),
      },
    });
  },
};

const toggleTypingStatus: AccountRoute = {
  method: 'POST',
  pattern: '/conversations/:conversation_id/toggle_typing_status',
  endpoint: 'conversations#toggle_typing_status',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const { context, params, owner } = request;
    const typingStatus = readString(params.typing_status);
    if (typingStatus === 'on' || typingStatus === 'off') {
      const conversation = found.conversation;
      context.webhooks.emit({
        build: () =>
          typingEventPayload(
            context.state,
            conversation,
            owner,
            typingStatus === 'on',
            // The raw parameter: `event.data[:is_private] || false` (a form sends "true").
            params.is_private === undefined || params.is_private === null ? false : params.is_private,
          ),
      });
    }
    return emptyOk();
  },
};

const togglePriority: AccountRoute = {
  method: 'POST',
  pattern: '/conversations/:conversation_id/toggle_priority',
  endpoint: 'conversations#toggle_priority',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const priority = readPriority(request.params.priority);
    if (typeof priority === 'object' && priority !== null) return chatwootErrors.serverError();
    updateConversation(request.context, found.conversation, { priority }, request.owner);
    return emptyOk();
  },
};

/**
 * `ConversationsController#custom_attributes` replaces the whole hash, validated like create's;
 * without the key the validator meets nil and Rails answers 500.
 */
const customAttributes: AccountRoute = {
  method: 'POST',
  pattern: '/conversations/:conversation_id/custom_attributes',
  endpoint: 'conversations#custom_attributes',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const replacement = readRecord(request.params.custom_attributes);
    if (replacement === undefined) return chatwootErrors.serverError();
    const problems = jsonbAttributeProblems('custom_attributes', replacement);
    if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
    updateConversation(request.context, found.conversation, { customAttributes: replacement }, request.owner);
    return jsonResponse(200, { custom_attributes: found.conversation.customAttributes });
  },
};

const listLabels: AccountRoute = {
  method: 'GET',
  pattern: '/conversations/:conversation_id/labels',
  endpoint: 'conversations/labels#index',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    return jsonResponse(200, { payload: found.conversation.labels });
  },
};

/** `Conversations::LabelsController#create` replaces the whole label list (`LabelConcern`). */
const setLabels: AccountRoute = {
  method: 'POST',
  pattern: '/conversations/:conversation_id/labels',
  endpoint: 'conversations/labels#create',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    // `params.permit(labels: [])`: anything but a list is dropped, which clears every label.
    const sent = request.params.labels;
    const labels = Array.isArray(sent) ? [...new Set(readStringArray(sent) ?? [])] : [];
    updateConversation(request.context, found.conversation, { labels }, request.owner);
    return jsonResponse(200, { payload: found.conversation.labels });
  },
};

export const conversationActionRoutes: AccountRoute[] = [
  toggleStatus,
  toggleTypingStatus,
  togglePriority,
  customAttributes,
  listLabels,
  setLabels,
];

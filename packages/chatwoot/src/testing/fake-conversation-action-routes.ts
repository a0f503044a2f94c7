import { requestedConversation } from './fake-conversation-access.js';
import { readPriority, readStatus, readTime } from './fake-conversation-params.js';
import { updateConversation } from './fake-conversation-updates.js';
import { chatwootErrors, type FakeHttpResponse, jsonResponse } from './fake-http-response.js';
import { readBoolean, readRecord, readString, readStringArray } from './fake-params.js';
import type { FakeConversationStatus } from './fake-records.js';
import type { AccountRoute } from './fake-router.js';
import { isoTimeOrNull } from './fake-time.js';
import { typingEventPayload } from './fake-webhook-payloads.js';

/** Rails' `head :ok`: a 200 with no body. */
const emptyOk = (): FakeHttpResponse => ({ status: 200, headers: {}, body: '' });

/**
 * `toggle_status` (notes §1.3): without a status it toggles open↔resolved (pending or snoozed →
 * open). A bot token moving pending→open is `bot_handoff!`: every inbox member gets a
 * notification. An AGENT-role user token that leaves the conversation open takes it over, whoever
 * was assigned; admin and bot tokens do not.
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
    if (typeof requested === 'object') return chatwootErrors.unprocessable(requested.error);
    const botHandoff = owner.kind === 'bot' && conversation.status === 'pending' && requested === 'open';
    const status: FakeConversationStatus =
      requested ?? (conversation.status === 'open' ? 'resolved' : 'open');
    updateConversation(
      context,
      conversation,
      { status, snoozedUntil: status === 'snoozed' ? readTime(params.snoozed_until) : null },
      owner,
    );
    if (botHandoff) {
      for (const userId of context.state.inbox.memberIds) {
        context.state.notifications.push({
          userId,
          conversationId: conversation.displayId,
          kind: 'bot_handoff',
        });
      }
    }
    if (owner.kind === 'user' && owner.user.role === 'agent' && conversation.status === 'open') {
      updateConversation(context, conversation, { assigneeId: owner.user.id }, owner);
    }
    return jsonResponse(200, {
      meta: {},
      payload: {
        success: true,
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
      context.webhooks.emit(
        typingEventPayload(
          context.state,
          found.conversation,
          owner,
          typingStatus === 'on',
          readBoolean(params.is_private) ?? false,
        ),
      );
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
    if (typeof priority === 'object' && priority !== null)
      return chatwootErrors.unprocessable(priority.error);
    updateConversation(request.context, found.conversation, { priority }, request.owner);
    return emptyOk();
  },
};

/** Replaces the whole hash (notes §1.3). */
const customAttributes: AccountRoute = {
  method: 'POST',
  pattern: '/conversations/:conversation_id/custom_attributes',
  endpoint: 'conversations#custom_attributes',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const replacement = readRecord(request.params.custom_attributes) ?? {};
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

/** Replaces the whole label list (notes §1.3). */
const setLabels: AccountRoute = {
  method: 'POST',
  pattern: '/conversations/:conversation_id/labels',
  endpoint: 'conversations/labels#create',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const labels = [...new Set(readStringArray(request.params.labels) ?? [])];
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

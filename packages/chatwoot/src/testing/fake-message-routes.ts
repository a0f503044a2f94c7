import { jsonResponse } from '@handoff/fake-server';
import { requestedConversation } from './fake-conversation-access.js';
import { chatwootErrors } from './fake-errors.js';
import { emitMessageEvent, messageValidationError, postMessage } from './fake-message-creation.js';
import { messageFromParams } from './fake-message-params.js';
import { readInteger, readString } from './fake-params.js';
import { contactPushData, userPushData } from './fake-push-data.js';
import type { FakeMessageStatus } from './fake-records.js';
import { messageView } from './fake-rest-views.js';
import type { AccountRoute } from './fake-route.js';
import { contactOf, findUser } from './fake-state.js';

/**
 * `Api::V1::Accounts::Conversations::MessagesController#create`: JSON or multipart with
 * `attachments[]`; any failure (validation included) is rescued into 422 `{"error": …}`. Answers
 * the message partial with an integer message_type and the request's `echo_id`.
 */
const createMessage: AccountRoute = {
  method: 'POST',
  pattern: '/conversations/:conversation_id/messages',
  endpoint: 'conversations/messages#create',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const { conversation } = found;
    const { context, params, owner } = request;
    const files = request.files.filter((file) => file.fieldName.startsWith('attachments'));
    const input = messageFromParams(context.state, conversation, owner, params, files);
    if ('error' in input) return chatwootErrors.unprocessable(input.error);
    const problem = messageValidationError(context, conversation, input);
    if (problem !== undefined) return chatwootErrors.unprocessable(problem);
    const message = postMessage(context, conversation, input, owner);
    return jsonResponse(
      200,
      messageView(context.state, conversation, message, {
        ...(input.echoId == null ? {} : { echoId: input.echoId }),
      }),
    );
  },
};

/**
 * `GET …/messages` (`app/finders/message_finder.rb`): the latest 20; `before` → the 20 before it;
 * `after` → up to 100 after it; both → up to 1000 from `after` (inclusive) to `before`. Oldest
 * first, activity lines and notes included; `filter_internal_messages` leaves out notes and
 * activity lines.
 */
const listMessages: AccountRoute = {
  method: 'GET',
  pattern: '/conversations/:conversation_id/messages',
  endpoint: 'conversations/messages#index',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const { conversation } = found;
    const { state } = request.context;
    const before = railsToI(request.params.before);
    const after = railsToI(request.params.after);
    const internal = request.params.filter_internal_messages;
    const all =
      internal === undefined || internal === ''
        ? conversation.messages
        : conversation.messages.filter((message) => !message.private && message.messageType !== 'activity');
    const listed =
      before !== undefined && after !== undefined
        ? all.filter((message) => message.id >= after && message.id < before).slice(0, 1000)
        : after !== undefined
          ? all.filter((message) => message.id > after).slice(0, 100)
          : before !== undefined
            ? all.filter((message) => message.id < before).slice(-20)
            : all.slice(-20);
    const assignee = findUser(state, conversation.assigneeId);
    return jsonResponse(200, {
      meta: {
        labels: conversation.labels,
        additional_attributes: conversation.additionalAttributes,
        contact: contactPushData(contactOf(state, conversation)),
        ...(assignee === undefined ? {} : { assignee: userPushData(assignee) }),
        agent_last_seen_at: null,
        assignee_last_seen_at: null,
      },
      payload: listed.map((message) => messageView(state, conversation, message)),
    });
  },
};

/** `MessageFinder`: a cursor counts when `present?`, read with `to_i` (`12x` → 12, `abc` → 0). */
function railsToI(value: unknown): number | undefined {
  const text = readString(value)?.trim();
  if (text === undefined || text === '') return undefined;
  const digits = /^[+-]?\d+/.exec(text);
  return digits === null ? 0 : Number(digits[0]);
}

const messageStatuses: readonly FakeMessageStatus[] = ['sent', 'delivered', 'read', 'failed'];

/**
 * `PATCH|PUT …/messages/{id}` `{status, external_error}` (`Messages::StatusUpdateService`, API
 * inboxes only, not for bots): how a channel reports delivery of an agent's message. An unknown
 * status, or `read` → `delivered`, changes nothing and still answers 200; `external_error` is kept
 * only with `failed`. `message_updated` goes out only when something changed.
 */
function updateMessageStatus(method: 'PATCH' | 'PUT'): AccountRoute {
  return {
    method,
    pattern: '/conversations/:conversation_id/messages/:id',
    endpoint: 'conversations/messages#update',
    handle(request) {
      const found = requestedConversation(request);
      if ('error' in found) return found.error;
      const { conversation } = found;
      const { context, params } = request;
      const message = conversation.messages.find(
        (candidate) => candidate.id === readInteger(request.path.id),
      );
      if (message === undefined) return chatwootErrors.notFound();
      const requested = readString(params.status);
      const status = messageStatuses.find((candidate) => candidate === requested);
      const backwards = status === 'delivered' && message.status === 'read';
      if (status !== undefined && !backwards) {
        const externalError = status === 'failed' ? (readString(params.external_error) ?? null) : null;
        const { external_error: previousError, ...rest } = message.contentAttributes;
        const changed = status !== message.status || (previousError ?? null) !== externalError;
        message.status = status;
        message.contentAttributes =
          externalError === null ? rest : { ...rest, external_error: externalError };
        if (changed) {
          message.updatedAt = context.now();
          if (message.messageType !== 'activity')
            emitMessageEvent(context, conversation, message, 'message_updated');
        }
      }
      return jsonResponse(200, messageView(context.state, conversation, message));
    },
  };
}

/**
 * `DELETE …/messages/{id}` soft-deletes (`MessagesController#destroy`): the content becomes
 * "This message was deleted", `content_type` text, `content_attributes` exactly `{deleted: true}`,
 * the files are removed.
 */
const deleteMessage: AccountRoute = {
  method: 'DELETE',
  pattern: '/conversations/:conversation_id/messages/:id',
  endpoint: 'conversations/messages#destroy',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const { conversation } = found;
    const { context } = request;
    const message = conversation.messages.find((candidate) => candidate.id === readInteger(request.path.id));
    if (message === undefined) return chatwootErrors.notFound();
    if (messageValidationError(context, conversation, { ...message, content: null }) !== undefined)
      return chatwootErrors.invalidRecord([{ attribute: 'base', message: 'Too many messages' }]);
    message.content = 'This message was deleted';
    message.contentType = 'text';
    message.contentAttributes = { deleted: true };
    message.attachments = [];
    message.updatedAt = context.now();
    // Activity lines are not `webhook_sendable?`.
    if (message.messageType !== 'activity')
      emitMessageEvent(context, conversation, message, 'message_updated');
    return jsonResponse(200, messageView(context.state, conversation, message));
  },
};

export const messageRoutes: AccountRoute[] = [
  createMessage,
  listMessages,
  updateMessageStatus('PATCH'),
  updateMessageStatus('PUT'),
  deleteMessage,
];

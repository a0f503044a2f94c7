import { requestedConversation } from './fake-conversation-access.js';
import { chatwootErrors, jsonResponse } from './fake-http-response.js';
import { messageValidationError, postMessage } from './fake-message-creation.js';
import { messageFromParams } from './fake-message-params.js';
import { readInteger, readString } from './fake-params.js';
import { contactPushData, userPushData } from './fake-push-data.js';
import type { FakeMessageStatus } from './fake-records.js';
import { messageView } from './fake-rest-views.js';
import type { AccountRoute } from './fake-router.js';
import { contactOf, findUser } from './fake-state.js';
import { messageEventPayload } from './fake-webhook-payloads.js';

/** JSON or multipart with `attachments[]` (notes §1.3); answers with an integer message_type. */
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
    const message = postMessage(context, conversation, input);
    return jsonResponse(200, messageView(context.state, conversation, message));
  },
};

/**
 * `GET …/messages` with id cursors (notes §1.3): the latest 20; `before` → the 20 before it;
 * `after` → up to 100 after it; both → up to 1000 between. Oldest first, activity lines included.
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
    const before = readInteger(request.params.before);
    const after = readInteger(request.params.after);
    const all = conversation.messages;
    const listed =
      before !== undefined && after !== undefined
        ? all.filter((message) => message.id > after && message.id < before).slice(0, 1000)
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

const messageStatuses: readonly FakeMessageStatus[] = ['sent', 'delivered', 'read', 'failed'];

/**
 * `PATCH …/messages/{id}` `{status, external_error}` (notes §1.3, API inboxes only, not for bots):
 * how an adapter reports channel delivery of an agent's message. Announced with message_updated.
 */
const updateMessageStatus: AccountRoute = {
  method: 'PATCH',
  pattern: '/conversations/:conversation_id/messages/:id',
  endpoint: 'conversations/messages#update',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const { conversation } = found;
    const { context, params } = request;
    const message = conversation.messages.find((candidate) => candidate.id === readInteger(request.path.id));
    if (message === undefined) return chatwootErrors.notFound();
    const requested = readString(params.status);
    const status = messageStatuses.find((candidate) => candidate === requested);
    if (status === undefined)
      return chatwootErrors.unprocessable(`'${requested ?? ''}' is not a valid status`);
    const externalError = readString(params.external_error);
    message.status = status;
    if (externalError !== undefined) {
      message.contentAttributes = { ...message.contentAttributes, external_error: externalError };
    }
    message.updatedAt = context.now();
    context.webhooks.emit(messageEventPayload(context.state, conversation, message, 'message_updated'), {
      messageId: message.id,
    });
    return jsonResponse(200, messageView(context.state, conversation, message));
  },
};

/** `DELETE …/messages/{id}` soft-deletes: the content is replaced and `content_attributes.deleted` set. */
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
    message.content = 'This message was deleted';
    message.contentAttributes = { ...message.contentAttributes, deleted: true };
    message.attachments = [];
    message.updatedAt = context.now();
    context.webhooks.emit(messageEventPayload(context.state, conversation, message, 'message_updated'), {
      messageId: message.id,
    });
    return jsonResponse(200, messageView(context.state, conversation, message));
  },
};

export const messageRoutes: AccountRoute[] = [
  createMessage,
  listMessages,
  updateMessageStatus,
  deleteMessage,
];

import { jsonResponse, refuse } from '@handoff/fake-server';
import { attachmentFromUrl, attachmentsFromFiles } from './fake-attachments.js';
import type { FakeContext } from './fake-context.js';
import { addPart, adminAuthor, contactAuthor } from './fake-conversation-parts.js';
import { intercomErrors } from './fake-errors.js';
import { adminBodyToHtml, textToHtml } from './fake-html.js';
import { notifyConversation } from './fake-notifications.js';
import {
  attachmentUrls,
  type Body,
  bodyObject,
  hasField,
  oneOf,
  optionalInteger,
  optionalString,
  requiredBodyText,
  requiredId,
} from './fake-params.js';
import type { FakeContact, FakeConversation } from './fake-records.js';
import { conversationView } from './fake-rest-views.js';
import type { Route, RouteRequest } from './fake-route.js';
import { activeContacts, findActiveContact, findAdmin, findConversation } from './fake-state.js';
import { fromUnixSeconds } from './fake-time.js';

/**
 * The contact a user reply names with `intercom_user_id`, `user_id` (the external id) or `email`
 * (spec `contact_reply_*_request`). Unknown contacts: 404 "User Not Found" (our inference, as on
 * `POST /conversations`); archived and deleted ones are unknown to the API.
 */
function replyingContact(context: FakeContext, body: Body): FakeContact {
  const contacts = activeContacts(context.state);
  let contact: FakeContact | undefined;
  if (hasField(body, 'intercom_user_id'))
    contact = findActiveContact(context.state, requiredId(body, 'intercom_user_id'));
  else if (hasField(body, 'user_id')) {
    const externalId = requiredId(body, 'user_id');
    contact = contacts.find((candidate) => candidate.externalId === externalId);
  } else if (hasField(body, 'email')) {
    const email = (optionalString(body, 'email') ?? '').toLowerCase();
    const matching = contacts.filter((candidate) => candidate.email?.toLowerCase() === email);
    contact = matching.find((candidate) => candidate.role === 'user') ?? matching[0];
  } else {
    refuse(intercomErrors.parameterInvalid('intercom_user_id, user_id or email is required'));
  }
  return contact ?? refuse(intercomErrors.userNotFound());
}

/** `"last"`: the contact's most recently updated conversation (spec: "reply to the last part"). */
function lastConversationOf(context: FakeContext, contact: FakeContact): FakeConversation | undefined {
  return context.state.conversations
    .filter((conversation) => conversation.contactIds.includes(contact.id))
    .sort(
      (left, right) =>
        right.updatedAt.getTime() - left.updatedAt.getTime() || Number(right.id) - Number(left.id),
    )
    .at(0);
}

const answerWith = (
  context: FakeContext,
  conversation: FakeConversation,
  part: Parameters<typeof conversationView>[2],
) => jsonResponse(200, conversationView(context.state, conversation, part));

/**
 * A contact's comment (facts §3). On a closed conversation it re-opens it and the part is
 * `part_type: open` (the spec's "User reply" example); on a snoozed one it wakes it up (our
 * inference: the part stays a `comment`). The customer is then waiting.
 */
function userReply(request: RouteRequest, body: Body) {
  const { context, caller, path } = request;
  oneOf(optionalString(body, 'message_type'), 'message_type', ['comment'] as const);
  const text = requiredBodyText(body);
  const urls = attachmentUrls(body);
  const createdAtSeconds = optionalInteger(body, 'created_at');
  const contact = replyingContact(context, body);
  const conversation =
    path.id === 'last' ? lastConversationOf(context, contact) : findConversation(context.state, path.id);
  if (conversation === undefined) refuse(intercomErrors.notFound());
  if (!conversation.contactIds.includes(contact.id)) {
    // Undocumented; our inference.
    refuse(intercomErrors.parameterInvalid('The user is not a participant of this conversation'));
  }
  const attachments = [
    ...urls.map((url) => attachmentFromUrl(context.state.files, url)),
    ...attachmentsFromFiles(context, body),
  ];
  const reopened = conversation.state === 'closed';
  conversation.state = 'open';
  conversation.snoozedUntil = null;
  const createdAt = createdAtSeconds === undefined ? undefined : fromUnixSeconds(createdAtSeconds);
  const part = addPart(context, conversation, {
    partType: reopened ? 'open' : 'comment',
    body: textToHtml(text),
    author: contactAuthor(contact),
    caller,
    attachments,
    ...(createdAt === undefined ? {} : { createdAt }),
  });
  conversation.waitingSince ??= part.createdAt;
  conversation.firstContactReplyAt ??= part.createdAt;
  contact.lastRepliedAt = part.createdAt;
  notifyConversation(context, 'conversation.user.replied', conversation, [part]);
  return answerWith(context, conversation, [part]);
}

/**
 * An admin's comment (public: Intercom delivers it to the contact) or note (teammates only).
 * Neither changes the state; a comment means the customer is no longer waiting.
 */
function adminReply(request: RouteRequest, body: Body) {
  const { context, caller, path } = request;
  const messageType = oneOf(optionalString(body, 'message_type'), 'message_type', [
    'comment',
    'note',
  ] as const);
  const adminId = requiredId(body, 'admin_id');
  const text = requiredBodyText(body);
  const urls = attachmentUrls(body);
  const createdAtSeconds = optionalInteger(body, 'created_at');
  const conversation = path.id === 'last' ? undefined : findConversation(context.state, path.id);
  if (conversation === undefined) refuse(intercomErrors.notFound());
  // Undocumented for /reply; the code and message of `GET /admins/{id}` (our inference).
  const admin = findAdmin(context.state, adminId) ?? refuse(intercomErrors.adminNotFound());
  const attachments = [
    ...urls.map((url) => attachmentFromUrl(context.state.files, url)),
    ...attachmentsFromFiles(context, body),
  ];
  const createdAt = createdAtSeconds === undefined ? undefined : fromUnixSeconds(createdAtSeconds);
  const part = addPart(context, conversation, {
    partType: messageType,
    body: adminBodyToHtml(text),
    author: adminAuthor(admin),
    caller,
    attachments,
    ...(createdAt === undefined ? {} : { createdAt }),
  });
  if (messageType === 'comment') conversation.waitingSince = null;
  notifyConversation(
    context,
    messageType === 'comment' ? 'conversation.admin.replied' : 'conversation.admin.noted',
    conversation,
    [part],
  );
  return answerWith(context, conversation, [part]);
}

/**
 * `POST /conversations/{id}/reply` (facts §3): answers the conversation with only the new part.
 * Quick replies are not modelled: `message_type: quick_reply` is refused like an unknown type.
 */
const replyToConversation: Route = {
  method: 'POST',
  pattern: '/conversations/:id/reply',
  handle(request) {
    const body = bodyObject(request.body);
    const type = oneOf(optionalString(body, 'type'), 'type', ['user', 'admin'] as const);
    return type === 'user' ? userReply(request, body) : adminReply(request, body);
  },
};

export const replyRoutes: Route[] = [replyToConversation];

import { jsonResponse, refuse } from '@handoff/fake-server';
import { attachmentFromUrl } from './fake-attachments.js';
import { contactAuthor } from './fake-conversation-parts.js';
import { intercomErrors } from './fake-errors.js';
import { textToHtml } from './fake-html.js';
import { notifyConversation } from './fake-notifications.js';
import {
  attachmentUrls,
  bodyObject,
  oneOf,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredBodyText,
  requiredId,
} from './fake-params.js';
import type { FakeConversation } from './fake-records.js';
import { conversationView } from './fake-rest-views.js';
import type { Route } from './fake-route.js';
import { findActiveContact, findConversation, takeId } from './fake-state.js';
import { fromUnixSeconds, unixSeconds } from './fake-time.js';

/** "The maximum number of conversation parts that can be returned via the API is 500." */
const maxPartsShown = 500;

/**
 * `POST /conversations` (facts §2): a conversation started by a contact, in-app. It answers the
 * Message model, not the conversation: `id` is the message id, `conversation_id` the conversation.
 * The first message becomes the conversation's `source`, not a part. Where a new conversation lands
 * is undocumented; the fake leaves it open and unassigned (our inference).
 */
const createConversation: Route = {
  method: 'POST',
  pattern: '/conversations',
  handle({ context, body: raw }) {
    const { state } = context;
    const body = bodyObject(raw);
    const from = optionalObject(body, 'from') ?? refuse(intercomErrors.parameterInvalid('from is required'));
    const fromType = oneOf(optionalString(from, 'type'), 'from.type', ['user', 'lead', 'contact'] as const);
    const contactId = requiredId(from, 'id');
    const text = requiredBodyText(body);
    const urls = attachmentUrls(body);
    const createdAtSeconds = optionalInteger(body, 'created_at');
    // An archived or deleted contact is unknown to the API, like an unknown id (our inference:
    // `GET /contacts/{id}` answers 404 for them).
    const contact = findActiveContact(state, contactId);
    // `type: user` or `lead` must name a contact of that role; `contact` takes either.
    if (contact === undefined || (fromType !== 'contact' && contact.role !== fromType)) {
      refuse(intercomErrors.userNotFound());
    }
    const now = context.now();
    const createdAt = createdAtSeconds === undefined ? now : fromUnixSeconds(createdAtSeconds);
    const messageId = takeId(state, 'message');
    const conversation: FakeConversation = {
      id: takeId(state, 'conversation'),
      createdAt,
      updatedAt: now,
      waitingSince: createdAt,
      snoozedUntil: null,
      state: 'open',
      read: false,
      adminAssigneeId: null,
      teamAssigneeId: null,
      contactIds: [contact.id],
      source: {
        type: 'conversation',
        id: messageId,
        deliveredAs: 'customer_initiated',
        subject: '',
        // "HTML is not supported": the text is escaped and wrapped like any contact comment.
        body: textToHtml(text),
        author: contactAuthor(contact),
        attachments: urls.map((url) => attachmentFromUrl(state.files, url)),
        url: null,
        redacted: false,
      },
      firstContactReplyAt: createdAt,
      parts: [],
    };
    state.conversations.push(conversation);
    contact.lastRepliedAt = createdAt;
    notifyConversation(context, 'conversation.user.created', conversation, []);
    return jsonResponse(200, {
      type: 'user_message',
      id: messageId,
      created_at: unixSeconds(createdAt),
      body: text,
      message_type: 'inapp',
      conversation_id: conversation.id,
    });
  },
};

/**
 * `GET /conversations/{id}` (facts §9): the conversation with its 500 most recent parts;
 * `display_as=plaintext` strips the HTML from the bodies. The path id is an integer in the spec.
 */
const showConversation: Route = {
  method: 'GET',
  pattern: '/conversations/:id',
  handle({ context, path, query }) {
    const conversation = /^\d+$/.test(path.id ?? '') ? findConversation(context.state, path.id) : undefined;
    if (conversation === undefined) refuse(intercomErrors.notFound());
    return jsonResponse(
      200,
      conversationView(context.state, conversation, conversation.parts.slice(-maxPartsShown), {
        plaintext: query.display_as === 'plaintext',
      }),
    );
  },
};

/**
 * `POST /conversations/search` (spec `search_request`), as far as the adapter searches: `=` filters
 * on `contact_ids`, `state` and `id`, alone or in an `AND` group. Results carry no parts (the
 * spec: conversation_parts are left out of lists and searches). Other fields are refused with
 * `parameter_invalid` (our inference: the real API searches many more).
 */
const searchConversations: Route = {
  method: 'POST',
  pattern: '/conversations/search',
  handle({ context, body }) {
    const query = optionalObject(bodyObject(body), 'query');
    if (query === undefined) refuse(intercomErrors.parameterInvalid('query is required'));
    const filters = Array.isArray(query.value) && query.operator === 'AND' ? query.value : [query];
    const checks = filters.map((filter) => {
      const { field, operator, value } = (filter ?? {}) as Record<string, unknown>;
      if (
        operator !== '=' ||
        typeof value !== 'string' ||
        !['contact_ids', 'state', 'id'].includes(String(field))
      ) {
        refuse(
          intercomErrors.parameterInvalid(`the fake cannot search ${String(field)} ${String(operator)}`),
        );
      }
      return (conversation: FakeConversation) =>
        field === 'contact_ids'
          ? conversation.contactIds.includes(value)
          : field === 'state'
            ? conversation.state === value
            : conversation.id === value;
    });
    const found = context.state.conversations.filter((conversation) =>
      checks.every((check) => check(conversation)),
    );
    return jsonResponse(200, {
      type: 'conversation.list',
      conversations: found.map((conversation) => {
        const { conversation_parts: _omitted, ...view } = conversationView(context.state, conversation, []);
        return view;
      }),
      total_count: found.length,
      pages: { type: 'pages', page: 1, per_page: 20, total_pages: found.length === 0 ? 0 : 1 },
    });
  },
};

export const conversationRoutes: Route[] = [searchConversations, createConversation, showConversation];

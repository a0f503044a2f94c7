import { jsonResponse } from '@handoff/fake-server';
import { filterContacts } from './fake-contact-filter.js';
import { findOrCreateContactInbox } from './fake-contact-inboxes.js';
import { contactProblems, normaliseEmail } from './fake-contact-validation.js';
import { chatwootErrors } from './fake-errors.js';
import { hasParam, type Params, readBoolean, readInteger, readRecord, readString } from './fake-params.js';
import type { FakeContact } from './fake-records.js';
import { contactInboxView, contactView, conversationView, inboxRecordView } from './fake-rest-views.js';
import type { AccountRoute, RouteRequest } from './fake-route.js';
import { findContact, isInboxMember, takeId } from './fake-state.js';

const contactsPerPage = 15;
const conversationsPerContact = 20;

/** A nullable text column: unchanged when not sent, cleared by null. */
function readNullableText(params: Params, name: string, current: string | null): string | null {
  if (!hasParam(params, name)) return current;
  return readString(params[name]) ?? null;
}

const contactFrom = (request: RouteRequest) =>
  findContact(request.context.state, readInteger(request.path.id));

/** `include_contact_inboxes`: absent, or exactly the string "true" (`_contact.json.jbuilder`). */
const withContactInboxesParam = (params: Params) =>
  params.include_contact_inboxes === undefined || params.include_contact_inboxes === 'true';

/**
 * `ContactsController#create` (`app/controllers/api/v1/accounts/contacts_controller.rb`), in one
 * transaction: the contact is validated and saved, then, with a non-blank `inbox_id`, the inbox is
 * looked up (unknown: 404 and the contact rolled back) and a contact_inbox built. Answers
 * `{payload: {contact, contact_inbox}}` (`contacts/create.json.jbuilder`), not the flat contact
 * the official document describes.
 */
const createContact: AccountRoute = {
  method: 'POST',
  pattern: '/contacts',
  endpoint: 'contacts#create',
  handle({ context, params }) {
    const { state } = context;
    const inboxParam = params.inbox_id;
    const withInbox = inboxParam !== undefined && inboxParam !== null && inboxParam !== '';
    const candidate = {
      name: hasParam(params, 'name') ? (readString(params.name) ?? null) : '',
      email: readNullableText(params, 'email', null),
      phoneNumber: readNullableText(params, 'phone_number', null),
      identifier: readNullableText(params, 'identifier', null),
    };
    const problems = contactProblems(state.contacts, candidate);
    if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
    // A blank identifier passes `allow_blank`, but the unique index holds one `""` per account.
    if (candidate.identifier === '' && state.contacts.some((contact) => contact.identifier === ''))
      return chatwootErrors.serverError();
    if (withInbox && readInteger(inboxParam) !== state.inbox.id) return chatwootErrors.notFound();
    const now = context.now();
    const contact: FakeContact = {
      id: takeId(state, 'contact'),
      accountId: state.account.id,
      ...candidate,
      email: normaliseEmail(candidate.email),
      blocked: readBoolean(params.blocked) ?? false,
      customAttributes: readRecord(params.custom_attributes) ?? {},
      additionalAttributes: readRecord(params.additional_attributes) ?? {},
      contactInboxes: [],
      createdAt: now,
      updatedAt: now,
    };
    let contactInbox: FakeContact['contactInboxes'][number] | undefined;
    if (withInbox && params.source_id !== '') {
      const built = findOrCreateContactInbox(context, contact, readString(params.source_id));
      // The unique index refuses another contact's source_id; Chatwoot re-raises it (`ContactInboxBuilder#update_old_contact_inbox`).
      if ('clash' in built) return chatwootErrors.serverError();
      contactInbox = built.contactInbox;
    }
    state.contacts.push(contact);
    return jsonResponse(200, {
      payload: {
        contact: contactView(state, contact, { withContactInboxes: true }),
        contact_inbox: {
          inbox: contactInbox === undefined ? null : inboxRecordView(state.inbox),
          source_id: contactInbox === undefined ? null : contactInbox.sourceId,
        },
      },
    });
  },
};

/** `ContactsController#filter`: 15 per page, `meta.count` all pages; filter errors are 422 `{"error"}`. */
const filterContactsRoute: AccountRoute = {
  method: 'POST',
  pattern: '/contacts/filter',
  endpoint: 'contacts#filter',
  handle({ context, params }) {
    const result = filterContacts(context.state.contacts, params.payload);
    if ('serverError' in result) return chatwootErrors.serverError();
    if ('error' in result) return chatwootErrors.unprocessable(result.error);
    const page = Math.max(1, readInteger(params.page) ?? 1);
    const slice = result.contacts.slice((page - 1) * contactsPerPage, page * contactsPerPage);
    return jsonResponse(200, {
      // `current_page` echoes the parameter as sent (a string from the query), or 1.
      meta: { count: result.contacts.length, current_page: params.page ?? 1 },
      payload: slice.map((contact) =>
        contactView(context.state, contact, { withContactInboxes: withContactInboxesParam(params) }),
      ),
    });
  },
};

/**
 * `GET /contacts/search` (`ContactsController#search`): a SUBSTRING match of the stripped `q`,
 * case-insensitive on name, email and phone but case-sensitive on identifier, 15 per page;
 * `meta.count` counts this page only. A blank `q` renders the empty template (`&& return` returns
 * before the refusal is rendered).
 */
const searchContacts: AccountRoute = {
  method: 'GET',
  pattern: '/contacts/search',
  endpoint: 'contacts#search',
  handle({ context, params }) {
    const query = readString(params.q)?.trim();
    if (query === undefined || query === '') {
      return jsonResponse(200, { meta: { count: null, current_page: 1, has_more: null }, payload: [] });
    }
    const lower = query.toLowerCase();
    const matching = context.state.contacts.filter(
      (contact) =>
        [contact.name, contact.email, contact.phoneNumber].some((value) =>
          value?.toLowerCase().includes(lower),
        ) ||
        (contact.identifier?.includes(query) ?? false),
    );
    const page = Math.max(1, readInteger(params.page) ?? 1);
    const slice = matching.slice((page - 1) * contactsPerPage, page * contactsPerPage);
    const withContactInboxes = withContactInboxesParam(params);
    return jsonResponse(200, {
      meta: {
        count: slice.length,
        current_page: params.page ?? 1,
        has_more: matching.length > page * contactsPerPage,
      },
      payload: slice.map((contact) => contactView(context.state, contact, { withContactInboxes })),
    });
  },
};

const showContact: AccountRoute = {
  method: 'GET',
  pattern: '/contacts/:id',
  endpoint: 'contacts#show',
  handle(request) {
    const contact = contactFrom(request);
    if (contact === undefined) return chatwootErrors.notFound();
    return jsonResponse(200, {
      payload: contactView(request.context.state, contact, {
        withContactInboxes: withContactInboxesParam(request.params),
      }),
    });
  },
};

function updateContact(request: RouteRequest) {
  const { context, params } = request;
  const contact = contactFrom(request);
  if (contact === undefined) return chatwootErrors.notFound();
  const candidate = {
    name: hasParam(params, 'name') ? (readString(params.name) ?? null) : contact.name,
    email: readNullableText(params, 'email', contact.email),
    phoneNumber: readNullableText(params, 'phone_number', contact.phoneNumber),
    identifier: readNullableText(params, 'identifier', contact.identifier),
  };
  const problems = contactProblems(context.state.contacts, candidate, contact.id);
  if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
  Object.assign(contact, candidate, { email: normaliseEmail(candidate.email) });
  const blocked = readBoolean(params.blocked);
  if (blocked !== undefined) contact.blocked = blocked;
  // Attribute hashes are merged, not replaced (`ContactsController#update`: `@contact.assign_attributes` merges the hashes).
  contact.customAttributes = { ...contact.customAttributes, ...(readRecord(params.custom_attributes) ?? {}) };
  contact.additionalAttributes = {
    ...contact.additionalAttributes,
    ...(readRecord(params.additional_attributes) ?? {}),
  };
  contact.updatedAt = context.now();
  return jsonResponse(200, { payload: contactView(context.state, contact, { withContactInboxes: true }) });
}

const putContact: AccountRoute = {
  method: 'PUT',
  pattern: '/contacts/:id',
  endpoint: 'contacts#update',
  handle: updateContact,
};
const patchContact: AccountRoute = { ...putContact, method: 'PATCH' };

/**
 * `Contacts::ContactInboxesController#create`: the inbox must exist (404) and the caller may see it
 * (`authorize @inbox, :show?`: administrators, or members of the inbox; else 401).
 */
const createContactInbox: AccountRoute = {
  method: 'POST',
  pattern: '/contacts/:id/contact_inboxes',
  endpoint: 'contacts/contact_inboxes#create',
  handle(request) {
    const { context, params, owner } = request;
    const contact = contactFrom(request);
    if (contact === undefined || readInteger(params.inbox_id) !== context.state.inbox.id) {
      return chatwootErrors.notFound();
    }
    if (
      owner.kind === 'user' &&
      owner.user.role !== 'administrator' &&
      !isInboxMember(context.state, owner.user.id)
    )
      return chatwootErrors.notAuthorized();
    const built = findOrCreateContactInbox(context, contact, readString(params.source_id));
    if ('clash' in built) return chatwootErrors.serverError();
    return jsonResponse(200, contactInboxView(context.state, built.contactInbox));
  },
};

/**
 * `Contacts::ConversationsController#index`: the contact's conversations of every status, through
 * `Conversations::PermissionFilterService` (an agent sees those of the inboxes they are a member
 * of), the 20 most recently active.
 */
const contactConversations: AccountRoute = {
  method: 'GET',
  pattern: '/contacts/:id/conversations',
  endpoint: 'contacts/conversations#index',
  handle(request) {
    const { context, owner } = request;
    const contact = contactFrom(request);
    if (contact === undefined) return chatwootErrors.notFound();
    const latest = context.state.conversations
      .filter((conversation) => conversation.contactId === contact.id)
      .filter(
        () =>
          owner.kind !== 'user' ||
          owner.user.role === 'administrator' ||
          isInboxMember(context.state, owner.user.id),
      )
      .sort(
        (left, right) =>
          right.lastActivityAt.getTime() - left.lastActivityAt.getTime() || right.displayId - left.displayId,
      )
      .slice(0, conversationsPerContact);
    return jsonResponse(200, {
      payload: latest.map((conversation) => conversationView(context.state, conversation, owner)),
    });
  },
};

export const contactRoutes: AccountRoute[] = [
  createContact,
  filterContactsRoute,
  searchContacts,
  showContact,
  putContact,
  patchContact,
  createContactInbox,
  contactConversations,
];

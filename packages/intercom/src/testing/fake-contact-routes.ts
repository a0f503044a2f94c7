import { jsonResponse, refuse } from '@handoff/fake-server';
import {
  archiveContact,
  contactReference,
  deleteContact,
  lifecycleTarget,
  unarchiveContact,
} from './fake-contact-lifecycle.js';
import { searchContacts } from './fake-contact-search.js';
import type { FakeContext } from './fake-context.js';
import { intercomErrors } from './fake-errors.js';
import {
  type Body,
  bodyObject,
  hasField,
  oneOf,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
} from './fake-params.js';
import type { FakeContact } from './fake-records.js';
import { contactView } from './fake-rest-views.js';
import type { Route } from './fake-route.js';
import {
  activeContacts,
  findActiveContact,
  findAdmin,
  isActiveContact,
  takeContactId,
} from './fake-state.js';
import { fromUnixSeconds } from './fake-time.js';

const defaultPerPage = 50;
const maxPerPage = 150;

const sameEmail = (left: string | null, right: string | null): boolean =>
  left !== null && right !== null && left.toLowerCase() === right.toLowerCase();

/**
 * The contact a new or changed one would clash with (facts §1, 409 `conflict`): the same
 * `external_id`, or — between users — the same email. Leads may share an email (our inference:
 * Intercom keeps leads apart from users and does not de-duplicate them by email; "a new lead will
 * be created" for a CSV lead with an archived lead's email, help centre "How to archive a user or
 * lead"). Archived and deleted contacts clash too; an active one is named first (our inference).
 */
function clashingContact(
  contacts: readonly FakeContact[],
  candidate: Pick<FakeContact, 'externalId' | 'email' | 'role'>,
  exceptId?: string,
): FakeContact | undefined {
  const clashes = contacts.filter(
    (contact) =>
      contact.id !== exceptId &&
      ((candidate.externalId !== null && contact.externalId === candidate.externalId) ||
        (candidate.role === 'user' && contact.role === 'user' && sameEmail(contact.email, candidate.email))),
  );
  return clashes.find(isActiveContact) ?? clashes[0];
}

/** The 409 of a clash: an archived (or deleted) contact says so, with its id. */
const refuseClash = (existing: FakeContact): never =>
  refuse(
    isActiveContact(existing)
      ? intercomErrors.contactConflict(existing.id)
      : intercomErrors.archivedContactConflict(existing.id),
  );

/** `owner_id` must be an admin of the workspace ([X] "The owner specified is not a member of the workspace"). */
function readOwnerId(context: FakeContext, body: Body): number | null | undefined {
  if (Object.hasOwn(body, 'owner_id') && body.owner_id === null) return null;
  const ownerId = optionalInteger(body, 'owner_id');
  if (ownerId !== undefined && findAdmin(context.state, ownerId) === undefined) {
    refuse(intercomErrors.parameterInvalid('The owner specified is not a member of the workspace'));
  }
  return ownerId;
}

const optionalDate = (body: Body, name: string): Date | undefined => {
  const seconds = optionalInteger(body, name);
  return seconds === undefined ? undefined : fromUnixSeconds(seconds);
};

/** A nullable text field: undefined when not sent, null when sent as null. */
const nullableText = (body: Body, name: string): string | null | undefined =>
  Object.hasOwn(body, name) && body[name] === null ? null : optionalString(body, name);

const createContact: Route = {
  method: 'POST',
  pattern: '/contacts',
  handle({ context, body: raw }) {
    const { state } = context;
    const body = bodyObject(raw);
    if (!hasField(body, 'email') && !hasField(body, 'external_id') && !hasField(body, 'role')) {
      // The schema's `anyOf`: email, external_id or role.
      refuse(intercomErrors.parameterInvalid('email, external_id or role is required'));
    }
    const role = oneOf(optionalString(body, 'role') ?? 'user', 'role', ['user', 'lead'] as const);
    const externalId = optionalString(body, 'external_id') ?? null;
    const email = optionalString(body, 'email') ?? null;
    if (role === 'user' && externalId === null && email === null) {
      // [X] v2.4 reference text: a user needs an external_id when it has no email, and vice versa.
      refuse(intercomErrors.parameterInvalid('A user must have an email or an external_id'));
    }
    const existing = clashingContact(state.contacts, { externalId, email, role });
    if (existing !== undefined) refuseClash(existing);
    const now = context.now();
    const contact: FakeContact = {
      id: takeContactId(state, now),
      role,
      externalId,
      email,
      phone: nullableText(body, 'phone') ?? null,
      name: nullableText(body, 'name') ?? null,
      avatar: nullableText(body, 'avatar') ?? null,
      ownerId: readOwnerId(context, body) ?? null,
      unsubscribedFromEmails: optionalBoolean(body, 'unsubscribed_from_emails') ?? false,
      signedUpAt: optionalDate(body, 'signed_up_at') ?? null,
      lastSeenAt: optionalDate(body, 'last_seen_at') ?? null,
      lastRepliedAt: null,
      // Intercom only writes custom attributes that exist on the workspace; the fake has them all.
      customAttributes: { ...(optionalObject(body, 'custom_attributes') ?? {}) },
      createdAt: now,
      updatedAt: now,
      searchableAt: new Date(now.getTime() + state.searchLagMs),
      archived: false,
      deleted: false,
    };
    state.contacts.push(contact);
    // 200, not 201 (facts §1).
    return jsonResponse(200, contactView(contact));
  },
};

function readCursor(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') {
    try {
      const [offset] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
      if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
    } catch {
      // falls through to the refusal
    }
  }
  return refuse(intercomErrors.parameterInvalid('starting_after is not a valid cursor'));
}

const writeCursor = (offset: number): string => Buffer.from(JSON.stringify([offset])).toString('base64url');

/** One cursor page of contacts (`contact_list`): `per_page` default 50, at most 150. */
function contactPage(contacts: readonly FakeContact[], perPageAsked: number | undefined, cursor: unknown) {
  const perPage = Math.min(maxPerPage, Math.max(1, perPageAsked ?? defaultPerPage));
  const offset = readCursor(cursor);
  const page = contacts.slice(offset, offset + perPage);
  const next = offset + perPage < contacts.length ? offset + perPage : undefined;
  return {
    type: 'list',
    data: page.map(contactView),
    total_count: contacts.length,
    pages: {
      type: 'pages',
      ...(next === undefined ? {} : { next: { per_page: perPage, starting_after: writeCursor(next) } }),
      page: Math.floor(offset / perPage) + 1,
      per_page: perPage,
      total_pages: Math.ceil(contacts.length / perPage),
    },
  };
}

/**
 * `POST /contacts/search` (facts §1): cursor pages of `pagination.per_page` (default 50, at most
 * 150). A new contact shows up only `searchLagMs` after its creation; archived and deleted ones
 * never (recorded searches of api.intercom.io after an archive find nothing, grouparoo's
 * export-record-archive.js).
 */
const searchContactsRoute: Route = {
  method: 'POST',
  pattern: '/contacts/search',
  handle({ context, body: raw }) {
    const body = bodyObject(raw);
    const pagination = optionalObject(body, 'pagination') ?? {};
    const now = context.now().getTime();
    const indexed = activeContacts(context.state).filter((contact) => contact.searchableAt.getTime() <= now);
    const matching = searchContacts(indexed, body.query);
    return jsonResponse(
      200,
      contactPage(matching, optionalInteger(pagination, 'per_page'), pagination.starting_after),
    );
  },
};

/**
 * `GET /contacts` ("List all contacts"): cursor pages, `per_page` default 50 (the pagination page
 * of the developer docs; the 2.14 document lists no query parameter). Archived and deleted
 * contacts are left out, as the help centre says they are invisible; merged ones are too, the
 * document says (the fake has no merges).
 */
const listContacts: Route = {
  method: 'GET',
  pattern: '/contacts',
  handle({ context, query }) {
    return jsonResponse(
      200,
      contactPage(activeContacts(context.state), optionalInteger(query, 'per_page'), query.starting_after),
    );
  },
};

/**
 * `GET /contacts/find_by_external_id/{external_id}`: users only ("This endpoint only supports users
 * and not leads"), found at once (no search lag). The 404 is undocumented in 2.14: our inference,
 * also for archived and deleted users (as `GET /contacts/{id}` answers for them).
 */
const findByExternalId: Route = {
  method: 'GET',
  pattern: '/contacts/find_by_external_id/:externalId',
  handle({ context, path }) {
    const contact = activeContacts(context.state).find(
      (candidate) => candidate.role === 'user' && candidate.externalId === path.externalId,
    );
    if (contact === undefined) refuse(intercomErrors.userNotFound());
    return jsonResponse(200, contactView(contact));
  },
};

/**
 * Unknown contacts: undocumented in 2.14, answered like `POST /conversations` does; archived and
 * deleted ones the same (recorded 404 "User Not Found" answers of api.intercom.io after an archive
 * and a delete, grouparoo's export-record-archive.js and export-record-delete.js).
 */
const contactFrom = (context: FakeContext, id: string | undefined): FakeContact =>
  findActiveContact(context.state, id) ?? refuse(intercomErrors.userNotFound());

const showContact: Route = {
  method: 'GET',
  pattern: '/contacts/:id',
  handle({ context, path }) {
    return jsonResponse(200, contactView(contactFrom(context, path.id)));
  },
};

/** `PUT /contacts/{id}` (`update_contact_request`): the fields sent change; custom attributes merge. */
const updateContact: Route = {
  method: 'PUT',
  pattern: '/contacts/:id',
  handle({ context, path, body: raw }) {
    const contact = contactFrom(context, path.id);
    const body = bodyObject(raw);
    const role = hasField(body, 'role')
      ? oneOf(optionalString(body, 'role'), 'role', ['user', 'lead'] as const)
      : contact.role;
    const externalId = nullableText(body, 'external_id');
    const email = nullableText(body, 'email');
    const candidate = {
      role,
      externalId: externalId === undefined ? contact.externalId : externalId,
      email: email === undefined ? contact.email : email,
    };
    const existing = clashingContact(context.state.contacts, candidate, contact.id);
    if (existing !== undefined) refuseClash(existing);
    const ownerId = readOwnerId(context, body);
    const texts = { phone: 'phone', name: 'name', avatar: 'avatar' } as const;
    for (const [key, name] of Object.entries(texts) as Array<[keyof typeof texts, string]>) {
      const value = nullableText(body, name);
      if (value !== undefined) contact[key] = value;
    }
    Object.assign(contact, candidate);
    if (ownerId !== undefined) contact.ownerId = ownerId;
    contact.unsubscribedFromEmails =
      optionalBoolean(body, 'unsubscribed_from_emails') ?? contact.unsubscribedFromEmails;
    contact.signedUpAt = optionalDate(body, 'signed_up_at') ?? contact.signedUpAt;
    contact.lastSeenAt = optionalDate(body, 'last_seen_at') ?? contact.lastSeenAt;
    const attributes = optionalObject(body, 'custom_attributes');
    if (attributes !== undefined) contact.customAttributes = { ...contact.customAttributes, ...attributes };
    contact.updatedAt = context.now();
    return jsonResponse(200, contactView(contact));
  },
};

/** `POST /contacts/{id}/archive`: answers `contact_archived` (`archived: true`). */
const archiveRoute: Route = {
  method: 'POST',
  pattern: '/contacts/:id/archive',
  handle({ context, path }) {
    const contact = lifecycleTarget(context, path.id);
    archiveContact(context, contact);
    return jsonResponse(200, { ...contactReference(contact), archived: true });
  },
};

/** `POST /contacts/{id}/unarchive`: answers `contact_unarchived` (`archived: false`). */
const unarchiveRoute: Route = {
  method: 'POST',
  pattern: '/contacts/:id/unarchive',
  handle({ context, path }) {
    const contact = lifecycleTarget(context, path.id);
    unarchiveContact(context, contact);
    return jsonResponse(200, { ...contactReference(contact), archived: false });
  },
};

/** `DELETE /contacts/{id}`: answers `contact_deleted` (`deleted: true`). */
const deleteRoute: Route = {
  method: 'DELETE',
  pattern: '/contacts/:id',
  handle({ context, path }) {
    const contact = lifecycleTarget(context, path.id);
    deleteContact(context, contact);
    return jsonResponse(200, { ...contactReference(contact), deleted: true });
  },
};

export const contactRoutes: Route[] = [
  searchContactsRoute,
  findByExternalId,
  listContacts,
  createContact,
  archiveRoute,
  unarchiveRoute,
  showContact,
  updateContact,
  deleteRoute,
];

import { searchContacts } from './fake-contact-search.js';
import type { FakeContext } from './fake-context.js';
import { intercomErrors, jsonResponse } from './fake-http-response.js';
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
import { refuse } from './fake-refusal.js';
import { contactView } from './fake-rest-views.js';
import type { Route } from './fake-router.js';
import { findAdmin, findContact, takeContactId } from './fake-state.js';
import { fromUnixSeconds } from './fake-time.js';

const defaultPerPage = 50;
const maxPerPage = 150;

const sameEmail = (left: string | null, right: string | null): boolean =>
  left !== null && right !== null && left.toLowerCase() === right.toLowerCase();

/**
 * The contact a new or changed one would clash with (facts §1, 409 `conflict`): the same
 * `external_id`, or — between users — the same email. Leads may share an email (our inference:
 * Intercom keeps leads apart from users and does not de-duplicate them by email).
 */
function clashingContact(
  contacts: readonly FakeContact[],
  candidate: Pick<FakeContact, 'externalId' | 'email' | 'role'>,
  exceptId?: string,
): FakeContact | undefined {
  return contacts.find(
    (contact) =>
      contact.id !== exceptId &&
      ((candidate.externalId !== null && contact.externalId === candidate.externalId) ||
        (candidate.role === 'user' && contact.role === 'user' && sameEmail(contact.email, candidate.email))),
  );
}

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
    if (existing !== undefined) refuse(intercomErrors.contactConflict(existing.id));
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

/**
 * `POST /contacts/search` (facts §1): cursor pages of `pagination.per_page` (default 50, at most
 * 150). A new contact shows up only `searchLagMs` after its creation.
 */
const searchContactsRoute: Route = {
  method: 'POST',
  pattern: '/contacts/search',
  handle({ context, body: raw }) {
    const body = bodyObject(raw);
    const pagination = optionalObject(body, 'pagination') ?? {};
    const perPage = Math.min(
      maxPerPage,
      Math.max(1, optionalInteger(pagination, 'per_page') ?? defaultPerPage),
    );
    const offset = readCursor(pagination.starting_after);
    const now = context.now().getTime();
    const indexed = context.state.contacts.filter((contact) => contact.searchableAt.getTime() <= now);
    const matching = searchContacts(indexed, body.query);
    const page = matching.slice(offset, offset + perPage);
    const next = offset + perPage < matching.length ? offset + perPage : undefined;
    return jsonResponse(200, {
      type: 'list',
      data: page.map(contactView),
      total_count: matching.length,
      pages: {
        type: 'pages',
        ...(next === undefined ? {} : { next: { per_page: perPage, starting_after: writeCursor(next) } }),
        page: Math.floor(offset / perPage) + 1,
        per_page: perPage,
        total_pages: Math.ceil(matching.length / perPage),
      },
    });
  },
};

/**
 * `GET /contacts/find_by_external_id/{external_id}`: users only ("This endpoint only supports users
 * and not leads"), found at once (no search lag). The 404 is undocumented in 2.14: our inference.
 */
const findByExternalId: Route = {
  method: 'GET',
  pattern: '/contacts/find_by_external_id/:externalId',
  handle({ context, path }) {
    const contact = context.state.contacts.find(
      (candidate) => candidate.role === 'user' && candidate.externalId === path.externalId,
    );
    if (contact === undefined) refuse(intercomErrors.userNotFound());
    return jsonResponse(200, contactView(contact));
  },
};

/** Unknown contacts: undocumented in 2.14, answered like `POST /conversations` does (our inference). */
const contactFrom = (context: FakeContext, id: string | undefined): FakeContact =>
  findContact(context.state, id) ?? refuse(intercomErrors.userNotFound());

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
    if (existing !== undefined) refuse(intercomErrors.contactConflict(existing.id));
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

export const contactRoutes: Route[] = [
  searchContactsRoute,
  findByExternalId,
  createContact,
  showContact,
  updateContact,
];

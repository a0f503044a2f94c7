import type { SpecException } from '@handoff/conformance';

/**
 * Where Intercom's official API 2.14 document and the way the adapter must call it differ, one
 * line each. A request problem is excused only when method, path template and field all match.
 */
export const intercomSpecExceptions: readonly SpecException[] = [
  {
    method: 'POST',
    path: '/conversations',
    field: 'body.from.id',
    why: 'the document contradicts itself: create_conversation_request types from.id as `format: uuid` and also `minLength: 24, maxLength: 24` with the example 536e564f316c83104c000020; a UUID has 36 characters, so no id satisfies both. Contact ids are 24 hexadecimal digits (every contact example, e.g. 6762f0dd1bb69f9f2193bb83), and the adapter sends the id POST /contacts answered',
  },
];

/** The exception for a field every contact answer carries, on each operation the adapter calls. */
const contactListUrl = (method: string, path: string, prefix: string, list: string): SpecException => ({
  method,
  path,
  field: `${prefix}${list}.url`,
  why: `the document contradicts itself: contact_${list}.url is \`format: uri\` with the example "/contacts/5ba682d23d7cf92bef87bfd4/${list}", a relative reference (no scheme), as in every contact example of the document`,
});

const emptyAuthorEmail = (method: string, path: string, field: string): SpecException => ({
  method,
  path,
  field,
  why: 'a contact without an email is shown with `email: ""`, which `format: email` (conversation_part_author.email) cannot hold; api.intercom.io answers "" for a contact without an email (recorded answers in grouparoo/grouparoo plugins/@grouparoo/intercom/__tests__/fixtures/integration/export-record-lifecycle.js) and the author of its parts is that contact. The adapter creates contacts without an email unless the user has one',
});

/** Where the document describes Intercom's answers wrongly or not at all, one line each, with the proof. */
export const intercomResponseExceptions: readonly SpecException[] = [
  {
    method: 'POST',
    path: '/contacts',
    field: 'response.status',
    why: 'a contact that clashes with an existing one (same external_id, or a user with the same email) is a 409 error.list {code: conflict, message: "A contact matching those details already exists with id=<id>"}, or "An archived contact matching ..." for an archived or deleted one (409 answers of api.intercom.io recorded in grouparoo/grouparoo plugins/@grouparoo/intercom/__tests__/fixtures/integration/export-record-archive.js and export-record-delete.js; the same answer quoted on forum.intercom.com "How to unarchive a contact?"); the document lists only 200 and 401',
  },
  {
    method: 'POST',
    path: '/contacts/{contact_id}/unarchive',
    field: 'response.status',
    why: 'a deleted contact cannot be restored: 400 error.list {code: bad_request, message: "User has been marked for permanent deletion and is not restorable."} (answer of api.intercom.io recorded in grouparoo/grouparoo plugins/@grouparoo/intercom/__tests__/fixtures/integration/export-record-delete.js; a merged one answers "User has been merged and is not restorable.", forum.intercom.com "How to unarchive a contact?"); the document lists only 200',
  },
  {
    method: 'GET',
    path: '/me',
    field: 'response.status',
    why: 'a token the host does not know is refused on every endpoint with 401 error.list {code: unauthorized, message: "Access Token Invalid"} (the 401 example of 133 of the 150 operations of api.intercom.io.2.14.yaml, "Retrieve an admin" among them); "Identify an admin" lists only 200',
  },
  ...(['tags', 'notes', 'companies'] as const).flatMap((list) => [
    contactListUrl('POST', '/contacts', 'response.', list),
    contactListUrl('GET', '/contacts/{contact_id}', 'response.', list),
  ]),
  emptyAuthorEmail('POST', '/conversations/{conversation_id}/reply', 'response.source.author.email'),
  emptyAuthorEmail(
    'POST',
    '/conversations/{conversation_id}/reply',
    'response.conversation_parts.conversation_parts[].author.email',
  ),
  emptyAuthorEmail('POST', '/conversations/{conversation_id}/parts', 'response.source.author.email'),
  emptyAuthorEmail('GET', '/conversations/{conversation_id}', 'response.source.author.email'),
  emptyAuthorEmail(
    'GET',
    '/conversations/{conversation_id}',
    'response.conversation_parts.conversation_parts[].author.email',
  ),
  emptyAuthorEmail('POST', '/conversations/search', 'response.conversations[].source.author.email'),
];

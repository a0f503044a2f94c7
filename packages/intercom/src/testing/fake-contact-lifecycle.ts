import { refuse } from '@handoff/fake-server';
import type { FakeContext } from './fake-context.js';
import { intercomErrors } from './fake-errors.js';
import type { FakeContact } from './fake-records.js';
import { findContact } from './fake-state.js';

/**
 * Archiving and deleting contacts, through the API (`POST /contacts/{id}/archive`, `…/unarchive`,
 * `DELETE /contacts/{id}`) or in Intercom's UI (`FakeIntercom.archiveContact`, `deleteContact`).
 *
 * - Intercom's help centre, "How to archive a user or lead": "Archiving acts as a soft delete";
 *   archived users "are invisible in the UI"; a returning person is unarchived. Recorded answers of
 *   api.intercom.io (grouparoo's Intercom fixtures) show what the API does with one: `GET
 *   /contacts/{id}` answers 404 "User Not Found", search no longer finds it, a create with its
 *   details answers 409 "An archived contact matching those details already exists with id=…",
 *   and `…/unarchive` restores it.
 * - "How do I delete users and leads in Intercom?": deleting "will remove all of their
 *   conversations"; the data is destroyed after 7 days. The recorded answers show a deleted contact
 *   still answering the archived 409, and `…/unarchive` refusing it with 400 "User has been marked
 *   for permanent deletion and is not restorable." The fake never destroys it.
 */

/**
 * The contact an archive, unarchive or delete names, deleted ones included (each action says what
 * it does with those). Unknown ids are 404 "Contact Not Found".
 */
export function lifecycleTarget(context: FakeContext, id: string | undefined): FakeContact {
  return findContact(context.state, id) ?? refuse(intercomErrors.contactNotFound());
}

/** Archives a contact (again is no change; a deleted one is not found: our inference). */
export function archiveContact(context: FakeContext, contact: FakeContact): void {
  if (contact.deleted) refuse(intercomErrors.contactNotFound());
  contact.archived = true;
  contact.updatedAt = context.now();
}

/** Unarchives a contact: 400 for a deleted one; an active one stays as it is (our inference). */
export function unarchiveContact(context: FakeContext, contact: FakeContact): void {
  if (contact.deleted) refuse(intercomErrors.notRestorable());
  contact.archived = false;
  contact.updatedAt = context.now();
}

/**
 * Deletes a contact and its conversations; its record stays, marked for permanent deletion. An
 * archived one can be deleted; a deleted one is not found again (our inference).
 */
export function deleteContact(context: FakeContext, contact: FakeContact): void {
  if (contact.deleted) refuse(intercomErrors.contactNotFound());
  contact.deleted = true;
  contact.archived = false;
  contact.updatedAt = context.now();
  context.state.conversations = context.state.conversations.filter(
    (conversation) => !conversation.contactIds.includes(contact.id),
  );
}

/** `contact_archived`, `contact_unarchived` and `contact_deleted`: a `contact_reference` and the flag. */
export const contactReference = (contact: FakeContact) => ({
  type: 'contact' as const,
  id: contact.id,
  external_id: contact.externalId,
});

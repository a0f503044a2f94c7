import { randomUUID } from 'node:crypto';
import type { FakeContext } from './fake-context.js';
import type { FakeContact, FakeContactInbox } from './fake-records.js';
import { takeId } from './fake-state.js';

export type ContactInboxResult = { contactInbox: FakeContactInbox } | { clash: true };

/**
 * `ContactInboxBuilder` (`app/builders/contact_inbox_builder.rb`): looks up the contact's contact_inbox with this
 * `source_id`, or creates one. Without a source_id a new UUID is generated, so each call makes a
 * new contact_inbox; only the same (contact, inbox, source_id) is idempotent. A source_id another
 * contact holds in the inbox is a clash (the unique index refuses it).
 */
export function findOrCreateContactInbox(
  context: FakeContext,
  contact: FakeContact,
  sourceId: string | undefined,
): ContactInboxResult {
  const inboxId = context.state.inbox.id;
  if (sourceId !== undefined) {
    const own = contact.contactInboxes.find((item) => item.inboxId === inboxId && item.sourceId === sourceId);
    if (own !== undefined) return { contactInbox: own };
    const taken = context.state.contacts.some((other) =>
      other.contactInboxes.some((item) => item.inboxId === inboxId && item.sourceId === sourceId),
    );
    if (taken) return { clash: true };
  }
  const now = context.now();
  const contactInbox: FakeContactInbox = {
    id: takeId(context.state, 'contactInbox'),
    contactId: contact.id,
    inboxId,
    sourceId: sourceId ?? randomUUID(),
    hmacVerified: false,
    pubsubToken: randomUUID().replaceAll('-', '').slice(0, 24),
    createdAt: now,
    updatedAt: now,
  };
  contact.contactInboxes.push(contactInbox);
  return { contactInbox };
}

export function findContactInboxBySourceId(
  context: FakeContext,
  sourceId: string,
): { contact: FakeContact; contactInbox: FakeContactInbox } | undefined {
  for (const contact of context.state.contacts) {
    const contactInbox = contact.contactInboxes.find((item) => item.sourceId === sourceId);
    if (contactInbox !== undefined) return { contact, contactInbox };
  }
  return undefined;
}

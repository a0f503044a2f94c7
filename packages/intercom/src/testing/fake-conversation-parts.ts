import type { FakeCaller } from '@handoff/fake-server';
import type { FakeContext } from './fake-context.js';
import type {
  FakeAdmin,
  FakeAttachment,
  FakeAuthor,
  FakeContact,
  FakeConversation,
  FakePart,
  FakePartType,
} from './fake-records.js';
import { seedAppPackageCode } from './fake-seed.js';
import { takeId } from './fake-state.js';

/** A contact as a part author: `type` is its role (`user` in the spec's examples). */
export const contactAuthor = (contact: FakeContact): FakeAuthor => ({
  type: contact.role,
  id: contact.id,
  name: contact.name,
  email: contact.email ?? '',
});

export const adminAuthor = (admin: FakeAdmin): FakeAuthor => ({
  type: 'admin',
  id: admin.id,
  name: admin.name,
  email: admin.email,
});

/** Parts made through the API carry the app's package code; parts made in Intercom's UI, null. */
const appPackageCodeFor = (caller: FakeCaller): string | null =>
  caller === 'api' ? seedAppPackageCode : null;

export interface NewPart {
  partType: FakePartType;
  body: string | null;
  author: FakeAuthor;
  caller: FakeCaller;
  attachments?: FakeAttachment[];
  assignedTo?: FakePart['assignedTo'];
  /** `created_at` of the request (backfilled history); default now. */
  createdAt?: Date;
}

/**
 * Adds a part to a conversation whose state the caller has already changed: the part records the
 * state it leaves the conversation in, and the conversation's `updated_at` moves on.
 */
export function addPart(context: FakeContext, conversation: FakeConversation, part: NewPart): FakePart {
  const now = context.now();
  const createdAt = part.createdAt ?? now;
  const added: FakePart = {
    id: takeId(context.state, 'part'),
    partType: part.partType,
    body: part.body,
    createdAt,
    updatedAt: createdAt,
    notifiedAt: createdAt,
    assignedTo: part.assignedTo ?? null,
    author: part.author,
    attachments: part.attachments ?? [],
    state: conversation.state,
    appPackageCode: appPackageCodeFor(part.caller),
  };
  conversation.parts.push(added);
  conversation.updatedAt = now;
  return added;
}

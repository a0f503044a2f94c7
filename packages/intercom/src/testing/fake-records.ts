/** The records a fake Intercom workspace keeps. Ids are strings, as Intercom's JSON has them. */

export interface FakeAdmin {
  /** A numeric string, e.g. `991267459`. */
  id: string;
  name: string;
  email: string;
  jobTitle: string | null;
  awayModeEnabled: boolean;
  awayModeReassign: boolean;
  awayStatusReasonId: number | null;
}

export interface FakeTeam {
  /** A numeric string, e.g. `5017691`. */
  id: string;
  name: string;
  /** Admin ids (strings here; integers in `admin_ids`). */
  adminIds: string[];
}

export type FakeContactRole = 'user' | 'lead';

export interface FakeContact {
  /** 24 hexadecimal digits, e.g. `6762f0dd1bb69f9f2193bb83`. */
  id: string;
  role: FakeContactRole;
  externalId: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  avatar: string | null;
  ownerId: number | null;
  unsubscribedFromEmails: boolean;
  signedUpAt: Date | null;
  lastSeenAt: Date | null;
  lastRepliedAt: Date | null;
  customAttributes: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  /** From then on `POST /contacts/search` finds the contact (the search index lag). */
  searchableAt: Date;
  /**
   * Archived ("a soft delete": hidden from the API and the inbox until unarchived). A create with
   * its details answers 409 "An archived contact matching those details already exists with id=…".
   */
  archived: boolean;
  /**
   * Deleted with `DELETE /contacts/{id}`: marked for permanent deletion. Gone from the API like an
   * archived contact, but it cannot be unarchived, and a create with its details still answers the
   * archived 409 until Intercom destroys it (which the fake never does).
   */
  deleted: boolean;
}

/** Who wrote a part (`conversation_part_author`). */
export interface FakeAuthor {
  type: 'admin' | 'user' | 'lead' | 'bot';
  id: string;
  name: string | null;
  email: string;
}

/** A file on a part (`part_attachment`). */
export interface FakeAttachment {
  type: 'upload';
  name: string;
  url: string;
  contentType: string;
  filesize: number | null;
  width: number | null;
  height: number | null;
}

export type FakeConversationState = 'open' | 'closed' | 'snoozed';

export type FakePartType =
  | 'comment'
  | 'note'
  | 'open'
  | 'close'
  | 'snoozed'
  | 'assignment'
  | 'assign_and_reopen';

export interface FakePart {
  /** A numeric string, increasing over the whole workspace. */
  id: string;
  partType: FakePartType;
  /** HTML (`<p>…</p>`), or null for actions without text. */
  body: string | null;
  createdAt: Date;
  updatedAt: Date;
  notifiedAt: Date;
  /** What an assignment assigned the conversation to; null for other parts. */
  assignedTo: { type: 'admin' | 'team' | 'nobody_admin'; id: string | null } | null;
  author: FakeAuthor;
  attachments: FakeAttachment[];
  /** The state of the conversation once this part was added. */
  state: FakeConversationState;
  /** The app package of an API client that made the part; null when made in Intercom's UI. */
  appPackageCode: string | null;
}

/** The message that started a conversation (`conversation_source`); it is not a part. */
export interface FakeSource {
  type: 'conversation';
  /** The message id `POST /conversations` answered with. */
  id: string;
  deliveredAs: 'customer_initiated';
  subject: string;
  /** HTML. */
  body: string;
  author: FakeAuthor;
  attachments: FakeAttachment[];
  url: string | null;
  redacted: boolean;
}

export interface FakeConversation {
  /** A numeric string, e.g. `499`. */
  id: string;
  createdAt: Date;
  updatedAt: Date;
  waitingSince: Date | null;
  snoozedUntil: Date | null;
  state: FakeConversationState;
  read: boolean;
  adminAssigneeId: number | null;
  teamAssigneeId: number | null;
  contactIds: string[];
  source: FakeSource;
  firstContactReplyAt: Date | null;
  parts: FakePart[];
}

/** What the fake knows of a file behind an attachment URL (Intercom downloads it; the fake is told). */
export interface FakeFileInfo {
  name?: string;
  contentType: string;
  size?: number;
}

/** A file sent inline (`attachment_files`), kept so its URL can be downloaded. */
export interface FakeUpload {
  id: string;
  name: string;
  contentType: string;
  data: Uint8Array;
}

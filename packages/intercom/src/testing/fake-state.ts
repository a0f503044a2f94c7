import type {
  FakeAdmin,
  FakeContact,
  FakeConversation,
  FakeFileInfo,
  FakeTeam,
  FakeUpload,
} from './fake-records.js';
import { seedAdmins, seedTeams } from './fake-seed.js';

/** Everything one fake Intercom workspace holds. */
export interface FakeState {
  accessToken: string;
  clientSecret: string;
  webhookUrl: string | undefined;
  searchLagMs: number;
  admins: FakeAdmin[];
  teams: FakeTeam[];
  contacts: FakeContact[];
  conversations: FakeConversation[];
  /** What the fake was told about the files behind attachment URLs. */
  files: Map<string, FakeFileInfo>;
  /** Files sent as `attachment_files`, served back at `/fake-downloads/<id>/<name>`. */
  uploads: Map<string, FakeUpload>;
  nextIds: { contact: number; conversation: number; message: number; part: number; upload: number };
}

export function createFakeState(settings: {
  accessToken: string;
  clientSecret: string;
  webhookUrl: string | undefined;
  searchLagMs: number;
}): FakeState {
  return {
    ...settings,
    admins: seedAdmins(),
    teams: seedTeams(),
    contacts: [],
    conversations: [],
    files: new Map(),
    uploads: new Map(),
    // Shaped like the spec's examples: conversations '499', messages '403918330', parts '132'.
    nextIds: { contact: 1, conversation: 501, message: 403918401, part: 201, upload: 1 },
  };
}

export function takeId(state: FakeState, kind: 'conversation' | 'message' | 'part' | 'upload'): string {
  const id = state.nextIds[kind];
  state.nextIds[kind] = id + 1;
  return String(id);
}

/** A 24-hex contact id like Intercom's (a Mongo object id: seconds, a process part, a counter). */
export function takeContactId(state: FakeState, now: Date): string {
  const counter = state.nextIds.contact;
  state.nextIds.contact = counter + 1;
  const seconds = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8);
  return `${seconds}1bb69f9f21${(0x93bb83 + counter).toString(16).padStart(6, '0').slice(-6)}`;
}

/** Request ids come as strings or numbers (facts §0): both find the record. */
const sameId = (id: string, wanted: unknown): boolean =>
  (typeof wanted === 'string' || typeof wanted === 'number') && String(wanted).trim() === id;

export const findAdmin = (state: FakeState, id: unknown): FakeAdmin | undefined =>
  state.admins.find((admin) => sameId(admin.id, id));

export const findTeam = (state: FakeState, id: unknown): FakeTeam | undefined =>
  state.teams.find((team) => sameId(team.id, id));

/** Any contact record, archived and deleted ones included. */
export const findContact = (state: FakeState, id: unknown): FakeContact | undefined =>
  state.contacts.find((contact) => sameId(contact.id, id));

/** Neither archived nor deleted: the contacts the API shows and takes. */
export const isActiveContact = (contact: FakeContact): boolean => !contact.archived && !contact.deleted;

/** A contact the API can see (archived and deleted ones answer 404 "User Not Found"). */
export const findActiveContact = (state: FakeState, id: unknown): FakeContact | undefined => {
  const contact = findContact(state, id);
  return contact !== undefined && isActiveContact(contact) ? contact : undefined;
};

/** The contacts the API can see, in creation order. */
export const activeContacts = (state: FakeState): FakeContact[] => state.contacts.filter(isActiveContact);

export const findConversation = (state: FakeState, id: unknown): FakeConversation | undefined =>
  state.conversations.find((conversation) => sameId(conversation.id, id));

/** The teams an admin belongs to. */
export const teamsOf = (state: FakeState, adminId: string): FakeTeam[] =>
  state.teams.filter((team) => team.adminIds.includes(adminId));

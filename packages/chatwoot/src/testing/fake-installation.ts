/**
 * The installation a fake Chatwoot stands for: its accounts (each with its own state and
 * webhooks), the users they share, the agent bots, the platform apps and what each may touch, and
 * the emails Chatwoot would have sent. Ids are the installation's (`users.id`, `accounts.id`).
 */

import type {
  FakeAccountUser,
  FakeEmail,
  FakePermissible,
  FakePlatformApp,
  FakeUserRecord,
} from './fake-platform-records.js';
import type { FakeAgentBot, FakeUser } from './fake-records.js';
import type { FakeState } from './fake-state.js';
import type { FakeWebhooks } from './fake-webhook-routing.js';

/** One account: its records and the webhooks its changes send. */
export interface FakeAccountEntry {
  state: FakeState;
  webhooks: FakeWebhooks;
}

export interface FakeInstallation {
  accounts: Map<number, FakeAccountEntry>;
  users: FakeUserRecord[];
  accountUsers: FakeAccountUser[];
  /** Every agent bot; each account's `state.agentBots` is this same list (`accessible_to` filters it). */
  agentBots: FakeAgentBot[];
  platformApps: FakePlatformApp[];
  permissibles: FakePermissible[];
  emails: FakeEmail[];
  nextIds: {
    account: number;
    user: number;
    accountUser: number;
    inbox: number;
    channel: number;
    team: number;
  };
  /** Makes the state and webhooks of a new account (the server knows the webhook settings). */
  openAccount: (state: FakeState) => FakeAccountEntry;
}

export function nextId(installation: FakeInstallation, kind: keyof FakeInstallation['nextIds']): number {
  const id = installation.nextIds[kind];
  installation.nextIds[kind] = id + 1;
  return id;
}

/** `platform_app_permissibles.find_by(permissible:)`. */
export const isPermitted = (
  installation: FakeInstallation,
  app: FakePlatformApp,
  type: FakePermissible['type'],
  id: number,
): boolean =>
  installation.permissibles.some(
    (permissible) =>
      permissible.platformAppId === app.id && permissible.type === type && permissible.id === id,
  );

/** `platform_app_permissibles.find_or_create_by(permissible:)`. */
export function permit(
  installation: FakeInstallation,
  app: FakePlatformApp,
  type: FakePermissible['type'],
  id: number,
): void {
  if (!isPermitted(installation, app, type, id))
    installation.permissibles.push({ platformAppId: app.id, type, id });
}

/** Removes a deleted record's permissibles (`has_many :platform_app_permissibles, dependent: :destroy`). */
export function forgetPermissibles(
  installation: FakeInstallation,
  type: FakePermissible['type'],
  id: number,
): void {
  installation.permissibles = installation.permissibles.filter(
    (permissible) => !(permissible.type === type && permissible.id === id),
  );
}

/**
 * Adds the user to the account with the role, or changes the role of a member
 * (`account_users.find_or_initialize_by(user_id:).update!`). A new member starts online with
 * `auto_offline` on and no dashboard open (`db/schema.rb` defaults). Returns the row.
 */
export function setMembership(
  installation: FakeInstallation,
  entry: FakeAccountEntry,
  user: FakeUserRecord,
  role: FakeAccountUser['role'],
  options: { inviterId?: number | null; now: Date },
): FakeAccountUser {
  const accountId = entry.state.account.id;
  let row = installation.accountUsers.find(
    (candidate) => candidate.accountId === accountId && candidate.userId === user.id,
  );
  if (row === undefined) {
    row = {
      id: nextId(installation, 'accountUser'),
      accountId,
      userId: user.id,
      role,
      inviterId: options.inviterId ?? null,
      createdAt: options.now,
      updatedAt: options.now,
    };
    installation.accountUsers.push(row);
    const member: FakeUser = {
      id: user.id,
      name: user.name,
      email: user.email,
      role,
      accessToken: user.accessToken,
      availability: 'online',
      autoOffline: true,
      present: false,
    };
    entry.state.users.push(member);
  } else {
    row.role = role;
    row.updatedAt = options.now;
    const member = entry.state.users.find((candidate) => candidate.id === user.id);
    if (member !== undefined) member.role = role;
  }
  return row;
}

/** Removes the user from the account (`account_users#destroy`); their records stay. */
export function removeMembership(installation: FakeInstallation, entry: FakeAccountEntry, userId: number) {
  const accountId = entry.state.account.id;
  installation.accountUsers = installation.accountUsers.filter(
    (row) => !(row.accountId === accountId && row.userId === userId),
  );
  entry.state.users = entry.state.users.filter((member) => member.id !== userId);
  entry.state.inbox.memberIds = entry.state.inbox.memberIds.filter((id) => id !== userId);
  for (const team of entry.state.teams) team.memberIds = team.memberIds.filter((id) => id !== userId);
  entry.state.roundRobin = entry.state.roundRobin.filter((id) => id !== userId);
}

/** Copies a user's name and email to every account that lists them. */
export function syncMemberships(installation: FakeInstallation, user: FakeUserRecord): void {
  for (const entry of installation.accounts.values()) {
    const member = entry.state.users.find((candidate) => candidate.id === user.id);
    if (member === undefined) continue;
    member.name = user.name;
    member.email = user.email;
  }
}

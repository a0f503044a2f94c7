/** The Platform API's answers (`app/views/platform/api/v1/models/*.json.jbuilder` at v4.15.1). */
import type { FakeInstallation } from './fake-installation.js';
import type { FakeAccountRecord, FakeAccountUser, FakeUserRecord } from './fake-platform-records.js';
import type { FakeAgentBot } from './fake-records.js';
import { isoTime } from './fake-time.js';

/** `_account.json.jbuilder`: `features` is `enabled_features`, a hash of name → true. */
export function platformAccountView(account: FakeAccountRecord) {
  return {
    id: account.id,
    name: account.name,
    locale: account.locale,
    domain: account.domain,
    support_email: account.supportEmail,
    features: Object.fromEntries(account.features.map((name) => [name, true])),
    custom_attributes: account.customAttributes,
    limits: account.limits,
    status: account.status,
  };
}

/** `_agent_bot.json.jbuilder` (platform): no secret, no thumbnail, the account id or null. */
export function platformAgentBotView(bot: FakeAgentBot) {
  return {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    outgoing_url: bot.outgoingUrl ?? null,
    account_id: bot.accountId,
    access_token: bot.accessToken,
  };
}

/** `render json: account_user`: the row as `as_json` writes it, enums as names, times ISO 8601. */
export function accountUserView(row: FakeAccountUser) {
  return {
    id: row.id,
    account_id: row.accountId,
    user_id: row.userId,
    role: row.role,
    inviter_id: row.inviterId,
    created_at: isoTime(row.createdAt),
    updated_at: isoTime(row.updatedAt),
    active_at: null,
    availability: 'online',
    auto_offline: true,
    custom_role_id: null,
    agent_capacity_policy_id: null,
  };
}

/**
 * `_user.json.jbuilder` (platform): `account_id` and `role` of the `active_account_user` (most
 * recently active, nil when the user belongs to no account), `custom_attributes` only when present.
 */
export function platformUserView(installation: FakeInstallation, user: FakeUserRecord) {
  const memberships = installation.accountUsers.filter((row) => row.userId === user.id);
  const active = memberships[0];
  return {
    access_token: user.accessToken,
    account_id: active?.accountId ?? null,
    available_name: user.displayName === null || user.displayName === '' ? user.name : user.displayName,
    avatar_url: '',
    confirmed: user.confirmedAt !== null,
    display_name: user.displayName,
    message_signature: null,
    email: user.email,
    id: user.id,
    name: user.name,
    provider: 'email',
    pubsub_token: user.pubsubToken,
    ...(Object.keys(user.customAttributes).length > 0 ? { custom_attributes: user.customAttributes } : {}),
    role: active?.role ?? null,
    ui_settings: {},
    uid: user.email,
    accounts: memberships.map((row) => ({
      id: row.accountId,
      name: installation.accounts.get(row.accountId)?.state.account.name ?? null,
      active_at: null,
      role: row.role,
    })),
  };
}

/** `users/token.json.jbuilder`. */
export function platformUserTokenView(user: FakeUserRecord) {
  return {
    access_token: user.accessToken,
    expiry: null,
    user: {
      id: user.id,
      name: user.name,
      display_name: user.displayName,
      email: user.email,
      pubsub_token: user.pubsubToken,
    },
  };
}

/**
 * `Platform::Api::V1::AccountsController` and `AccountUsersController` (v4.15.1): a platform app
 * creates accounts, and may then show, change, delete them and manage their members, but only
 * those it created (`validate_platform_app_permissible`, 401 "Non permissible resource").
 */
import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { headOk } from './fake-head-ok.js';
import {
  type FakeAccountEntry,
  forgetPermissibles,
  nextId,
  permit,
  removeMembership,
  setMembership,
} from './fake-installation.js';
import { hasParam, type Params, readInteger, readRecord, readString } from './fake-params.js';
import { type PermittedResource, permittedRoute } from './fake-platform-permitted-route.js';
import type { FakeAccountRecord } from './fake-platform-records.js';
import { accountUserView, platformAccountView } from './fake-platform-views.js';
import type { PlatformRoute } from './fake-route.js';
import { createAccountState, newAccountRecord } from './fake-state.js';

/** `LANGUAGES_CONFIG` (`config/initializers/languages.rb`): the values of the `locale` enum. */
const accountLocales = new Set(
  'en ar nl fr de hi it ja ko pt ru zh es ml ca el pt_BR ro ta fa zh_TW vi da tr cs fi id sv hu no zh_CN pl sk uk th lv is he lt sr bg et'.split(
    ' ',
  ),
);

/**
 * `params.permit(:name, :locale, :domain, :support_email, :status, features: {}, limits: {},
 * custom_attributes: {})` assigned to the account, then `save!`. An enum value the enum lacks
 * (`locale`, `status`) raises ArgumentError in Rails 7.1: unrescued, a 500. Validations
 * (`app/models/account.rb`): name present, domain at most 100 characters, support_email a mail
 * address; a 422 `{message, attributes}` (`render_record_invalid`).
 */
function assignAccount(account: FakeAccountRecord, params: Params): FakeHttpResponse | undefined {
  if (hasParam(params, 'locale')) {
    const locale = readString(params.locale);
    if (locale !== undefined && locale !== '' && !accountLocales.has(locale))
      return chatwootErrors.serverError();
  }
  if (hasParam(params, 'status')) {
    const status = readString(params.status);
    if (status !== undefined && status !== '' && status !== 'active' && status !== 'suspended')
      return chatwootErrors.serverError();
  }
  const next: FakeAccountRecord = structuredClone(account);
  if (hasParam(params, 'name')) next.name = readString(params.name) ?? '';
  if (hasParam(params, 'locale')) next.locale = readString(params.locale) || 'en';
  if (hasParam(params, 'status')) {
    const status = readString(params.status);
    if (status === 'active' || status === 'suspended') next.status = status;
  }
  if (hasParam(params, 'domain')) next.domain = readString(params.domain) ?? null;
  if (hasParam(params, 'support_email')) next.supportEmail = readString(params.support_email) ?? null;
  const limits = readRecord(params.limits);
  if (limits !== undefined) next.limits = limits;
  const customAttributes = readRecord(params.custom_attributes);
  if (customAttributes !== undefined) next.customAttributes = customAttributes;
  // `update_resource_features`: a present value enables the feature, a blank one disables it.
  for (const [feature, value] of Object.entries(readRecord(params.features) ?? {})) {
    const on = value !== false && value !== null && value !== '' && value !== 'false';
    next.features = on
      ? [...new Set([...next.features, feature])]
      : next.features.filter((name) => name !== feature);
  }
  const problems: Array<{ attribute: string; message: string }> = [];
  if (next.name.trim() === '') problems.push({ attribute: 'name', message: "Name can't be blank" });
  if ((next.domain ?? '').length > 100)
    problems.push({ attribute: 'domain', message: 'Domain is too long (maximum is 100 characters)' });
  if (
    next.supportEmail !== null &&
    next.supportEmail !== '' &&
    !/^[^@\s<>]+@[^@\s<>]+$/.test(next.supportEmail)
  )
    problems.push({ attribute: 'support_email', message: 'Support email is not a valid email address' });
  if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
  Object.assign(account, next);
  return undefined;
}

/** A platform account, found by the `:id` (or `:account_id`) of the path. */
const accountAt = (pathKey: string): PermittedResource<FakeAccountEntry> => ({
  type: 'Account',
  pathKey,
  find: (installation, id) => installation.accounts.get(id ?? Number.NaN),
  idOf: (entry) => entry.state.account.id,
});

/** `accounts#index`: the accounts this app created (the document omits this route). */
const listAccounts: PlatformRoute = {
  platform: true,
  method: 'GET',
  pattern: '/accounts',
  endpoint: 'accounts#index',
  handle({ context, platformApp }) {
    const { installation } = context;
    const accounts = installation.permissibles
      .filter((permissible) => permissible.platformAppId === platformApp.id && permissible.type === 'Account')
      .map((permissible) => installation.accounts.get(permissible.id)?.state.account)
      .filter((account) => account !== undefined);
    return jsonResponse(200, accounts.map(platformAccountView));
  },
};

/** `accounts#create`: `Account.create!`, then the app may touch it. No member, inbox or team yet. */
const createAccount: PlatformRoute = {
  platform: true,
  method: 'POST',
  pattern: '/accounts',
  endpoint: 'accounts#create',
  handle(request) {
    const { installation, now } = request.context;
    const account = newAccountRecord(installation.nextIds.account, { name: '' });
    const refused = assignAccount(account, request.params);
    if (refused !== undefined) return refused;
    nextId(installation, 'account');
    const seeded = installation.accounts.values().next().value;
    if (seeded === undefined) throw new Error('the fake has no seeded account');
    const entry = installation.openAccount(createAccountState(account, seeded.state, now()));
    installation.accounts.set(account.id, entry);
    permit(installation, request.platformApp, 'Account', account.id);
    return jsonResponse(200, platformAccountView(account));
  },
};

const showAccount = permittedRoute(accountAt('id'), {
  method: 'GET',
  pattern: '/accounts/:id',
  endpoint: 'accounts#show',
  handle: (_request, entry) => jsonResponse(200, platformAccountView(entry.state.account)),
});

const updateAccount = (method: 'PATCH' | 'PUT'): PlatformRoute =>
  permittedRoute(accountAt('id'), {
    method,
    pattern: '/accounts/:id',
    endpoint: 'accounts#update',
    handle(request, entry) {
      return (
        assignAccount(entry.state.account, request.params) ??
        jsonResponse(200, platformAccountView(entry.state.account))
      );
    },
  });

/**
 * `accounts#destroy`: `DeleteObjectJob.perform_later`, `head :ok`. The fake deletes at once: the
 * account, its memberships and its permissibles; its users stay.
 */
const deleteAccount = permittedRoute(accountAt('id'), {
  method: 'DELETE',
  pattern: '/accounts/:id',
  endpoint: 'accounts#destroy',
  handle(request, entry) {
    const { installation } = request.context;
    const accountId = entry.state.account.id;
    for (const member of [...entry.state.users]) removeMembership(installation, entry, member.id);
    entry.webhooks.stop();
    installation.accounts.delete(accountId);
    forgetPermissibles(installation, 'Account', accountId);
    return headOk();
  },
});

/** `account_users#index`: `render json: @resource.account_users`. */
const listAccountUsers = permittedRoute(accountAt('account_id'), {
  method: 'GET',
  pattern: '/accounts/:account_id/account_users',
  endpoint: 'account_users#index',
  handle(request, entry) {
    const rows = request.context.installation.accountUsers.filter(
      (row) => row.accountId === entry.state.account.id,
    );
    return jsonResponse(200, rows.map(accountUserView));
  },
});

/**
 * `account_users#create`: `find_or_initialize_by(user_id:)` then `update!(user_id, role)`. Any
 * existing user may be added (only the account must be the app's); an unknown one fails
 * `belongs_to :user` (422 "User must exist"); a role other than agent/administrator raises
 * ArgumentError (500); no role keeps the member's, or `agent` for a new one.
 */
const createAccountUser = permittedRoute(accountAt('account_id'), {
  method: 'POST',
  pattern: '/accounts/:account_id/account_users',
  endpoint: 'account_users#create',
  handle(request, entry) {
    const { installation, now } = request.context;
    const role = readString(request.params.role);
    if (role !== undefined && role !== '' && role !== 'agent' && role !== 'administrator')
      return chatwootErrors.serverError();
    const user = installation.users.find((candidate) => candidate.id === readInteger(request.params.user_id));
    if (user === undefined)
      return chatwootErrors.invalidRecord([{ attribute: 'user', message: 'User must exist' }]);
    const existing = installation.accountUsers.find(
      (row) => row.accountId === entry.state.account.id && row.userId === user.id,
    );
    const nextRole = role === 'agent' || role === 'administrator' ? role : (existing?.role ?? 'agent');
    const row = setMembership(installation, entry, user, nextRole, { now: now() });
    return jsonResponse(200, accountUserView(row));
  },
});

/** `account_users#destroy` (`DELETE …/account_users` with `user_id`): removes the member if any, `head :ok`. */
const deleteAccountUser = permittedRoute(accountAt('account_id'), {
  method: 'DELETE',
  pattern: '/accounts/:account_id/account_users',
  endpoint: 'account_users#destroy',
  handle(request, entry) {
    const userId = readInteger(request.params.user_id);
    if (userId !== undefined) removeMembership(request.context.installation, entry, userId);
    return headOk();
  },
});

export const platformAccountRoutes: PlatformRoute[] = [
  listAccounts,
  createAccount,
  showAccount,
  updateAccount('PATCH'),
  updateAccount('PUT'),
  deleteAccount,
  listAccountUsers,
  createAccountUser,
  deleteAccountUser,
];

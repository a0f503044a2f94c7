/**
 * `Platform::Api::V1::UsersController` (v4.15.1). `create` reuses the user an email already has
 * (`User.from_email`, params ignored) or builds one, confirms it either way (`skip_confirmation!`,
 * so Devise sends no confirmation email) and lets the app touch it from then on. `update` changes
 * the email at once (`skip_reconfirmation!`: no reconfirmation email). Show, update, delete,
 * login and token need the user to be the app's (401 "Non permissible resource").
 */
import { randomBytes } from 'node:crypto';
import { jsonResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { headOk } from './fake-head-ok.js';
import {
  type FakeInstallation,
  forgetPermissibles,
  nextId,
  permit,
  removeMembership,
  syncMemberships,
} from './fake-installation.js';
import { hasParam, type Params, readRecord, readString } from './fake-params.js';
import { type PermittedResource, permittedRoute } from './fake-platform-permitted-route.js';
import type { FakeUserRecord } from './fake-platform-records.js';
import { platformUserTokenView, platformUserView } from './fake-platform-views.js';
import type { PlatformRoute } from './fake-route.js';
import { secureToken } from './fake-secure-token.js';

/** `config.email_regexp` (`config/initializers/devise.rb`). */
const emailFormat = /^[^@\s]+@[^@\s]+$/;
/** `password_has_required_content` counts these as special (`config/initializers/secure_password.rb`). */
const specialCharacters = /[!@#$%^&*()_+\-=[\]{}|']/;

/**
 * The validations of a user being saved, in Rails' order (Devise `validatable`, then
 * `password_has_required_content`, then `validates :name`): one message per broken rule. The
 * password is checked only when it is being set.
 */
export function userProblems(
  installation: FakeInstallation,
  user: { id?: number; name: string; email: string; password: string | undefined },
  passwordRequired: boolean,
): Array<{ attribute: string; message: string }> {
  const problems: Array<{ attribute: string; message: string }> = [];
  const add = (attribute: string, message: string) => problems.push({ attribute, message });
  if (user.email === '') add('email', "Email can't be blank");
  else {
    if (installation.users.some((other) => other.id !== user.id && other.email === user.email))
      add('email', 'Email has already been taken');
    if (!emailFormat.test(user.email)) add('email', 'Email is invalid');
  }
  const { password } = user;
  if (password === undefined || password === '') {
    if (passwordRequired) add('password', "Password can't be blank");
  } else {
    if (password.length < 6) add('password', 'Password is too short (minimum is 6 characters)');
    if (password.length > 128) add('password', 'Password is too long (maximum is 128 characters)');
    const rules: Array<[RegExp, string]> = [
      [/[A-Z]/, 'uppercase'],
      [/[a-z]/, 'lowercase'],
      [/\d/, 'number'],
      [specialCharacters, 'special'],
    ];
    for (const [pattern, type] of rules) {
      if (!pattern.test(password)) add('password', `Password must contain at least 1 ${type} character`);
    }
  }
  if (user.name.trim() === '') add('name', "Name can't be blank");
  return problems;
}

/** A platform user, found by the `:id` of the path. */
const platformUser: PermittedResource<FakeUserRecord> = {
  type: 'User',
  find: (installation, id) => installation.users.find((candidate) => candidate.id === id),
  idOf: (user) => user.id,
};

/** `params.permit(:name, :display_name, :email, :password, custom_attributes: {})`, emails downcased (`before_validation`). */
function userParams(params: Params) {
  return {
    name: hasParam(params, 'name') ? (readString(params.name) ?? '') : undefined,
    displayName: hasParam(params, 'display_name') ? (readString(params.display_name) ?? null) : undefined,
    email: hasParam(params, 'email') ? (readString(params.email) ?? '').toLowerCase() : undefined,
    password: readString(params.password),
    customAttributes: readRecord(params.custom_attributes),
  };
}

const createUser: PlatformRoute = {
  platform: true,
  method: 'POST',
  pattern: '/users',
  endpoint: 'users#create',
  handle(request) {
    const { installation, now } = request.context;
    const params = userParams(request.params);
    const existing = installation.users.find(
      (candidate) => params.email !== undefined && params.email !== '' && candidate.email === params.email,
    );
    if (existing !== undefined) {
      // `skip_confirmation!` sets `confirmed_at` to now, even on a user who had confirmed before.
      existing.confirmedAt = now();
      permit(installation, request.platformApp, 'User', existing.id);
      return jsonResponse(200, platformUserView(installation, existing));
    }
    const draft = {
      name: params.name ?? '',
      email: params.email ?? '',
      password: params.password,
    };
    const problems = userProblems(installation, draft, true);
    if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
    const user: FakeUserRecord = {
      id: nextId(installation, 'user'),
      name: draft.name,
      displayName: params.displayName ?? null,
      email: draft.email,
      accessToken: secureToken(),
      pubsubToken: secureToken(),
      password: draft.password,
      confirmedAt: now(),
      customAttributes: params.customAttributes ?? {},
      createdAt: now(),
    };
    installation.users.push(user);
    permit(installation, request.platformApp, 'User', user.id);
    return jsonResponse(200, platformUserView(installation, user));
  },
};

const showUser = permittedRoute(platformUser, {
  method: 'GET',
  pattern: '/users/:id',
  endpoint: 'users#show',
  handle: (request, user) => jsonResponse(200, platformUserView(request.context.installation, user)),
});

/** `users#update`: custom attributes merged into the old ones; a new email applies at once. */
const updateUser = (method: 'PATCH' | 'PUT'): PlatformRoute =>
  permittedRoute(platformUser, {
    method,
    pattern: '/users/:id',
    endpoint: 'users#update',
    handle(request, user) {
      const { installation } = request.context;
      const params = userParams(request.params);
      const draft = {
        id: user.id,
        name: params.name ?? user.name,
        email: params.email ?? user.email,
        password: params.password,
      };
      const problems = userProblems(installation, draft, false);
      if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
      user.name = draft.name;
      user.email = draft.email;
      if (params.displayName !== undefined) user.displayName = params.displayName;
      if (params.password !== undefined && params.password !== '') user.password = params.password;
      if (params.customAttributes !== undefined)
        user.customAttributes = { ...user.customAttributes, ...params.customAttributes };
      syncMemberships(installation, user);
      return jsonResponse(200, platformUserView(installation, user));
    },
  });

/** `users#destroy`: `DeleteObjectJob.perform_later`, `head :ok`; the fake deletes at once. */
const deleteUser = permittedRoute(platformUser, {
  method: 'DELETE',
  pattern: '/users/:id',
  endpoint: 'users#destroy',
  handle(request, user) {
    const { installation } = request.context;
    for (const entry of installation.accounts.values()) removeMembership(installation, entry, user.id);
    installation.users = installation.users.filter((candidate) => candidate.id !== user.id);
    forgetPermissibles(installation, 'User', user.id);
    return headOk();
  },
});

/** `users#login`: a one-time SSO link (`SsoAuthenticatable#generate_sso_link`, valid 5 minutes). */
const loginUser = permittedRoute(platformUser, {
  method: 'GET',
  pattern: '/users/:id/login',
  endpoint: 'users#login',
  handle(request, user) {
    const token = randomBytes(32).toString('hex');
    const email = encodeURIComponent(user.email);
    return jsonResponse(200, {
      url: `${request.context.baseUrl}/app/login?email=${email}&sso_auth_token=${token}`,
    });
  },
});

/** `users#token` (`POST`): the user's access token, for the Application API (the document omits it). */
const userToken = permittedRoute(platformUser, {
  method: 'POST',
  pattern: '/users/:id/token',
  endpoint: 'users#token',
  handle: (_request, user) => jsonResponse(200, platformUserTokenView(user)),
});

export const platformUserRoutes: PlatformRoute[] = [
  createUser,
  showUser,
  updateUser('PATCH'),
  updateUser('PUT'),
  deleteUser,
  loginUser,
  userToken,
];

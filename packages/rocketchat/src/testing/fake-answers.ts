// Rocket.Chat's REST answers (apps/meteor/app/api/server/api.ts: `success`, `failure`,
// `unauthorized`, `tooManyRequests`, and the route wrapper that turns a thrown error into a 400).
import { type FakeHttpResponse, jsonResponse, refuse } from '@handoff/fake-server';
import type { FakeRocketChatRequest } from './fake-context.js';
import type { FakeUser } from './fake-records.js';

/** `API.v1.success`: 200 with the fields and `success: true`. */
export const success = (body: Record<string, unknown> = {}): FakeHttpResponse =>
  jsonResponse(200, { ...body, success: true });

/** `API.v1.failure(error, errorType)`: 400 `{success: false, error, errorType?}`. */
export const failure = (error: string, errorType?: string): FakeHttpResponse =>
  jsonResponse(400, { success: false, error, ...(errorType === undefined ? {} : { errorType }) });

/** A route threw `new Error(name)`: 400 with the name as the `error` and no `errorType`. */
export function throwError(name: string): never {
  refuse(failure(name));
}

/**
 * A route threw `new Meteor.Error(error, reason)`: 400, `error` is the reason with the error in
 * brackets (Meteor's `message`), `errorType` the error.
 */
export function throwMeteorError(error: string, reason?: string): never {
  refuse(failure(reason === undefined ? `[${error}]` : `${reason} [${error}]`, error));
}

/** A route's `check()` failed (Meteor's `Match.Error`): 400 naming the field. */
export function throwMatchError(expected: string, field: string, got: unknown): never {
  const kind = got === null ? 'null' : typeof got;
  refuse(failure(`Match error: Expected ${expected}, got ${kind} in field ${field}`));
}

/** An `authRequired` route without a valid `X-User-Id` + `X-Auth-Token`. */
const notLoggedIn = (): FakeHttpResponse =>
  jsonResponse(401, {
    success: false,
    error: 'You must be logged in to do this.',
    status: 'error',
    message: 'You must be logged in to do this.',
  });

/** What each role may do, for the permissions the fake's routes check (the defaults of a new workspace). */
const rolePermissions: Record<string, readonly string[]> = {
  'livechat-manager': [
    'view-l-room',
    'view-livechat-rooms',
    'view-livechat-manager',
    'view-livechat-departments',
    'transfer-livechat-guest',
    'close-livechat-room',
    'close-others-livechat-room',
  ],
  // The defaults of apps/meteor/app/authorization/server/constant/permissions.ts: an agent may
  // see and close its rooms, but forwarding is the manager's, the monitor's and the admin's.
  'livechat-agent': ['view-l-room', 'close-livechat-room'],
  /** A custom role (Administration → Permissions) with what the bot agent needs beyond an agent's. */
  'handoff-bot-agent': ['view-l-room', 'transfer-livechat-guest'],
  bot: [],
  user: [],
};

export const hasPermission = (user: FakeUser, permission: string) =>
  user.roles.some((role) => rolePermissions[role]?.includes(permission) === true);

/**
 * The caller of an `authRequired` route with `permissionsRequired`: 401 when not logged in, 403
 * (`API.v1.unauthorized`) when it lacks one of `all` or has none of `any`.
 */
export function requireUser(
  request: FakeRocketChatRequest,
  permissions: { all?: readonly string[]; any?: readonly string[] } = {},
): FakeUser {
  const { user } = request;
  if (user === undefined) refuse(notLoggedIn());
  const lacksAll = (permissions.all ?? []).some((permission) => !hasPermission(user, permission));
  const lacksAny =
    permissions.any !== undefined && !permissions.any.some((permission) => hasPermission(user, permission));
  if (lacksAll || lacksAny) {
    refuse(
      jsonResponse(403, {
        success: false,
        error: 'User does not have the permissions required for this action [error-unauthorized]',
      }),
    );
  }
  return user;
}

/** The body as an object, or a 400 as Rocket.Chat's body validation gives it. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    refuse(failure('The request body must be an object', 'error-invalid-params'));
  }
  return body as Record<string, unknown>;
}

/** A route's `validateParams` (ajv) refused the query or body: 400 `invalid-params` with ajv's messages. */
export function throwInvalidParams(message: string): never {
  refuse(failure(`${message} [invalid-params]`, 'invalid-params'));
}

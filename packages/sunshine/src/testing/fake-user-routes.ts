import { jsonResponse, refuse } from '@handoff/fake-server';
import { type FakeSunshineRoute, sunshinePrefix } from './fake-context.js';
import { badRequest, sunshineErrors } from './fake-errors.js';
import { sunshineId } from './fake-ids.js';
import type { FakeUser } from './fake-records.js';
import { findUser } from './fake-state.js';
import { readMetadata } from './fake-switchboard.js';
import { userView } from './fake-views.js';

const profileFields = { givenName: 128, surname: 128, email: 128, avatarUrl: 2048, locale: 64 } as const;

/** `profile` (spec schema): each field a string of its maximum length at most. */
function readProfile(value: unknown): FakeUser['profile'] {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return badRequest('profile must be an object');
  const profile: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    const max = profileFields[key as keyof typeof profileFields];
    if (max === undefined) return badRequest(`profile.${key} is not allowed`);
    if (typeof entry !== 'string' || entry.length > max)
      return badRequest(`profile.${key} must be a string of ${max} characters at most`);
    profile[key] = entry;
  }
  return profile;
}

/** CreateUser and GetUser (spec tag Users). */
export const userRoutes: FakeSunshineRoute[] = [
  {
    method: 'POST',
    pattern: `${sunshinePrefix}/users`,
    handle({ context, body }) {
      const input = (body ?? {}) as Record<string, unknown>;
      const externalId = input.externalId;
      if (typeof externalId !== 'string' || externalId.length < 1 || externalId.length > 1024)
        return badRequest('externalId must be a string of 1 to 1024 characters');
      if (context.state.users.some((user) => user.externalId === externalId))
        return refuse(sunshineErrors.conflict('User already exists'));
      const user: FakeUser = {
        id: sunshineId(),
        externalId,
        profile: readProfile(input.profile),
        metadata: readMetadata(input.metadata) ?? {},
        signedUpAt: new Date().toISOString(),
      };
      context.state.users.push(user);
      return jsonResponse(201, { user: userView(user) });
    },
  },
  {
    method: 'GET',
    pattern: `${sunshinePrefix}/users/:userIdOrExternalId`,
    handle({ context, path }) {
      const user = findUser(context.state, path.userIdOrExternalId ?? '');
      if (user === undefined) return refuse(sunshineErrors.notFound('user_not_found', 'User not found'));
      return jsonResponse(200, { user: userView(user) });
    },
  },
];

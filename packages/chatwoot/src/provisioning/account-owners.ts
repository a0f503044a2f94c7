// Steps 2 and 3: a Chatwoot user for each verified owner, each an administrator of the account.

import { SupportError } from '@handoff/core';
import { listAccountMembers } from './account-members.js';
import type { ChatwootPlatformClient } from './chatwoot-platform-client.js';
import type { ProvisionedOwner, RefusedOwner } from './chatwoot-provisioner-options.js';
import { ownerPassword } from './owner-password.js';
import { platformAccountUserListSchema, platformUserSchema } from './platform-responses.js';

export interface Owner {
  email: string;
  name: string;
  emailVerified: boolean;
}

/**
 * Why an unverified address gets no user: the platform `users#create` answers an existing user
 * with that email as it is (`User.from_email(email) || User.new`), access token included, and
 * grants the app that user; a new one is confirmed without any email (`skip_confirmation!`).
 * Nobody would check that the owner holds the address.
 */
export const unverifiedOwnerReason =
  "the email address is not verified: Chatwoot's platform API confirms a new user without sending a confirmation email, and hands over the existing Chatwoot user with that address, so only verified addresses get a user";

/** Owners split into those who get a user (deduplicated by email, as Chatwoot downcases it) and those refused. */
export function sortOwners(owners: readonly Owner[]) {
  const accepted: Owner[] = [];
  const refused: RefusedOwner[] = [];
  const seen = new Set<string>();
  for (const owner of owners) {
    const email = owner.email.trim().toLowerCase();
    if (seen.has(email)) continue;
    seen.add(email);
    if (owner.emailVerified) accepted.push({ ...owner, email });
    else refused.push({ email, reason: unverifiedOwnerReason });
  }
  return { accepted, refused };
}

/**
 * `POST users {name, email, password}` for each owner. Chatwoot answers a taken email with that
 * user (200, unchanged: name and password are ignored), so a second run, or one after a lost
 * answer, creates no one twice; the answer carries the user's `access_token` either way. Then
 * `GET accounts/{id}/account_users`, and `POST accounts/{id}/account_users {user_id, role:
 * administrator}` for each owner not yet a member. A member keeps their role
 * (`account_users#create` would overwrite it).
 */
export async function ensureOwners(
  platform: ChatwootPlatformClient,
  options: {
    accountId: number;
    owners: readonly Owner[];
    operation: string;
    signal?: AbortSignal | undefined;
  },
) {
  const { accountId, operation, signal } = options;
  const users: Array<{ email: string; id: number; token: string }> = [];
  for (const owner of options.owners) {
    const user = await platform.call({
      operation,
      method: 'POST',
      path: '/users',
      json: { name: owner.name, email: owner.email, password: ownerPassword() },
      schema: platformUserSchema,
      signal,
    });
    users.push({ email: owner.email, id: user.id, token: user.access_token });
  }
  const members = await listAccountMembers(platform, accountId, operation, signal);
  const owners: Array<ProvisionedOwner & { token: string }> = [];
  for (const user of users) {
    const member = members.find((candidate) => candidate.user_id === user.id);
    if (member === undefined) {
      await platform.call({
        operation,
        method: 'POST',
        path: `/accounts/${accountId}/account_users`,
        json: { user_id: user.id, role: 'administrator' },
        schema: platformAccountUserListSchema.element,
        signal,
      });
    }
    owners.push({
      email: user.email,
      userId: user.id,
      addedToAccount: member === undefined,
      role: member?.role ?? 'administrator',
      token: user.token,
    });
  }
  const acting = owners.find((owner) => owner.role === 'administrator');
  if (acting === undefined) {
    throw new SupportError({
      code: 'unauthorized',
      message: `chatwoot ${operation} failed: no owner is an administrator of account ${accountId} (inboxes and webhooks need one); make one an administrator in Chatwoot`,
      provider: 'chatwoot',
      operation,
    });
  }
  return { owners, acting };
}

// Step 1: the organization's account, found by its tag (or the id kept from a previous run) or created.

import { isSupportError } from '@handoff/core';
import type { ChatwootPlatformClient } from './chatwoot-platform-client.js';
import { platformAccountListSchema, platformAccountSchema } from './platform-responses.js';
import { organizationTag, tagOf } from './provisioning-tags.js';

interface AccountLookup {
  organizationId: string;
  accountId?: number | undefined;
  operation: string;
  signal?: AbortSignal | undefined;
}

/**
 * The account tagged with the organization id. A kept `accountId` is read first (`GET
 * accounts/{id}`); one that is gone, not the app's (401 `Non permissible resource`) or not tagged
 * with this organization is ignored. Otherwise `GET accounts` (`accounts#index`: every account
 * the app created, through `platform_app_permissibles`) is searched, which finds an account whose
 * create answer was lost.
 */
export async function findAccount(platform: ChatwootPlatformClient, lookup: AccountLookup) {
  const ours = (account: { custom_attributes?: Record<string, unknown> | null | undefined }) =>
    tagOf(account.custom_attributes, organizationTag) === lookup.organizationId;
  if (lookup.accountId !== undefined) {
    try {
      const account = await platform.call({
        operation: lookup.operation,
        method: 'GET',
        path: `/accounts/${lookup.accountId}`,
        schema: platformAccountSchema,
        signal: lookup.signal,
      });
      if (ours(account)) return account;
    } catch (error) {
      if (!(isSupportError(error) && (error.code === 'not_found' || error.code === 'unauthorized')))
        throw error;
    }
  }
  const accounts = await platform.call({
    operation: lookup.operation,
    method: 'GET',
    path: '/accounts',
    schema: platformAccountListSchema,
    signal: lookup.signal,
  });
  // The oldest, should two runs ever have raced.
  return accounts.filter(ours).sort((left, right) => left.id - right.id)[0];
}

/** The account, found or created (`POST accounts {name, custom_attributes}`, tagged). */
export async function ensureAccount(
  platform: ChatwootPlatformClient,
  lookup: AccountLookup & { name: string },
): Promise<{ id: number; created: boolean }> {
  const found = await findAccount(platform, lookup);
  if (found !== undefined) return { id: found.id, created: false };
  const account = await platform.call({
    operation: lookup.operation,
    method: 'POST',
    path: '/accounts',
    json: { name: lookup.name, custom_attributes: { [organizationTag]: lookup.organizationId } },
    schema: platformAccountSchema,
    signal: lookup.signal,
  });
  return { id: account.id, created: true };
}

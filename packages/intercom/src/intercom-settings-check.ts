// The Intercom settings check: the access token (`GET /me`) and the bot admin (`GET /admins/{id}`),
// every problem reported on the settings field at fault.

import { isSupportError, type SettingsIssue, type VerifySettingsOptions } from '@handoff/core';
import { z } from 'zod';
import type { IntercomClient } from './intercom-client.js';

export interface IntercomSettingsCheckSettings {
  client: IntercomClient;
  baseUrl: string;
  botAdminId: string;
}

const operation = 'verifySettings';

/** `GET /me` ("Identify an admin"): the token's admin, with the app (workspace) it belongs to. */
const meSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  app: z.object({ region: z.string().nullish() }).nullish(),
});
const adminSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String) });

/** Workspaces hosted in the EU or Australia answer on their own API host only. */
const regionHint = (baseUrl: string) =>
  new URL(baseUrl).hostname === 'api.intercom.io'
    ? ' (a workspace hosted in the EU or Australia needs baseUrl https://api.eu.intercom.io or https://api.au.intercom.io)'
    : '';

/**
 * Checks the settings against Intercom (API 2.14 document): `GET /me` answers the token's admin
 * (401 `unauthorized` "Access Token Invalid" for a token the host does not know), then, unless the
 * bot admin is that admin, `GET /admins/{botAdminId}` ("Retrieve an admin": 404 `admin_not_found`).
 * The webhook has no field to check: Intercom's webhooks are set in the Developer Hub, not by API.
 * A 5xx, a timeout or an unreachable Intercom throws the usual SupportError.
 */
export function createIntercomSettingsCheck(settings: IntercomSettingsCheckSettings) {
  const { client, baseUrl, botAdminId } = settings;
  return async ({ signal }: VerifySettingsOptions = {}): Promise<SettingsIssue[]> => {
    let me: z.output<typeof meSchema>;
    try {
      me = await client.call({ operation, method: 'GET', path: '/me', schema: meSchema, signal });
    } catch (error) {
      if (!(isSupportError(error) && error.code === 'unauthorized')) throw error;
      return [{ field: 'accessToken', message: `is not accepted by ${baseUrl}${regionHint(baseUrl)}` }];
    }
    if (me.id === botAdminId) return [];
    try {
      await client.call({
        operation,
        method: 'GET',
        path: `/admins/${encodeURIComponent(botAdminId)}`,
        schema: adminSchema,
        signal,
      });
    } catch (error) {
      if (!(isSupportError(error) && error.code === 'not_found')) throw error;
      return [
        {
          field: 'botAdminId',
          message: `the workspace has no admin ${botAdminId} (the token's own admin is ${me.id}: GET /me)`,
        },
      ];
    }
    return [];
  };
}

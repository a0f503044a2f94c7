// The Sunshine settings check: the API key and app (`GET /switchboards`), our custom integration
// in the switchboard, and the Zendesk Support token (`GET /api/v2/groups`), every problem reported
// on the settings field at fault.

import { isSupportError, type SettingsIssue, type VerifySettingsOptions } from '@handoff/core';
import type { SunshineClients } from './sunshine-client.js';
import type { ConversationActions } from './sunshine-conversation-actions.js';
import { groupListSchema, switchboardListSchema } from './sunshine-responses.js';

export interface SunshineSettingsCheckSettings {
  clients: SunshineClients;
  actions: ConversationActions;
  baseUrl: string;
  zendeskUrl: string;
}

const operation = 'verifySettings';

const codeOf = (error: unknown) => (isSupportError(error) ? error.code : undefined);

/**
 * Checks the settings against Sunshine Conversations and Zendesk: `GET /v2/apps/{appId}/switchboards`
 * (401/403: the key is refused or has no app scope; 404: no such app), our switchboard integration
 * (none for `integrationId`: an issue on it), and `GET /api/v2/groups?page[size]=1` (401/403: the
 * Support token or its user is refused; 404: not a Zendesk account). `[]` when all is good; a 5xx,
 * a timeout or an unreachable host throws the usual SupportError.
 */
export function createSunshineSettingsCheck(settings: SunshineSettingsCheckSettings) {
  const { clients, actions } = settings;
  return async ({ signal }: VerifySettingsOptions = {}): Promise<SettingsIssue[]> => {
    const issues: SettingsIssue[] = [];
    let appReadable = true;
    try {
      await clients.sunshine.call({
        operation,
        method: 'GET',
        path: clients.appPath('/switchboards'),
        schema: switchboardListSchema,
        signal,
      });
    } catch (error) {
      const code = codeOf(error);
      if (code === 'unauthorized') {
        issues.push({
          field: 'keySecret',
          message: `the API key (keyId and keySecret) is not accepted by ${settings.baseUrl}, or has no app scope for this app`,
        });
        appReadable = false;
      } else if (code === 'not_found') {
        issues.push({ field: 'appId', message: `${settings.baseUrl} has no app with this id` });
        appReadable = false;
      } else throw error;
    }
    if (appReadable) {
      try {
        await actions.ownSwitchboardIntegration(operation, signal);
      } catch (error) {
        if (codeOf(error) !== 'invalid_request') throw error;
        issues.push({
          field: 'integrationId',
          message:
            "the app's switchboard has no switchboard integration for this custom integration (create one, or name it in switchboardIntegration)",
        });
      }
    }
    try {
      await clients.zendesk.call({
        operation,
        method: 'GET',
        path: '/api/v2/groups',
        query: { 'page[size]': 1 },
        schema: groupListSchema,
        signal,
      });
    } catch (error) {
      const code = codeOf(error);
      if (code === 'unauthorized')
        issues.push({
          field: 'zendeskApiToken',
          message: `the Zendesk API token (with zendeskEmail) is not accepted by ${settings.zendeskUrl}`,
        });
      else if (code === 'not_found')
        issues.push({ field: 'zendeskUrl', message: `${settings.zendeskUrl} answers no Support API` });
      else throw error;
    }
    return issues;
  };
}

import type { IncomingHttpHeaders } from 'node:http';
import type { FakeState } from './fake-state.js';

/** `app`: the app's API key (Sunshine Conversations); `zendesk`: the Support API token. */
export type AuthOutcome = 'app' | 'zendesk' | 'none' | 'invalid';

/** HTTP Basic: `keyId:keySecret` for Sunshine Conversations, `{email}/token:{apiToken}` for Zendesk. */
export function authenticate(headers: IncomingHttpHeaders, state: FakeState): { outcome: AuthOutcome } {
  const header = headers.authorization?.trim();
  if (header === undefined || header === '') return { outcome: 'none' };
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (match === null) return { outcome: 'invalid' };
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  if (decoded === `${state.keyId}:${state.keySecret}`) return { outcome: 'app' };
  if (decoded === `${state.zendeskEmail}/token:${state.zendeskApiToken}`) return { outcome: 'zendesk' };
  return { outcome: 'invalid' };
}

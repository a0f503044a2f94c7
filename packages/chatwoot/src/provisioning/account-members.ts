// The members of a provisioned account, as the owners' step and the administrator's token read them.

import type { ChatwootPlatformClient } from './chatwoot-platform-client.js';
import { platformAccountUserListSchema } from './platform-responses.js';

/** `GET accounts/{id}/account_users` (`account_users#index`): every member with its role. */
export function listAccountMembers(
  platform: ChatwootPlatformClient,
  accountId: number,
  operation: string,
  signal: AbortSignal | undefined,
) {
  return platform.call({
    operation,
    method: 'GET',
    path: `/accounts/${accountId}/account_users`,
    schema: platformAccountUserListSchema,
    signal,
  });
}

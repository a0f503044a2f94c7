// Application API calls in one provisioned account, with the acting administrator's token.

import type { Dispatcher } from 'undici';
import { createChatwootClient } from '../chatwoot-client.js';
import { chatwootError } from '../chatwoot-errors.js';

export interface AccountApplicationClientSettings {
  baseUrl: string;
  accountId: number;
  /** An administrator's access token: a platform app's token may not call the application API. */
  userToken: string;
  requestTimeoutMs: number;
  tokenHeader: 'api_access_token' | 'api-access-token';
  dispatcher?: Dispatcher | undefined;
}

/** The adapter's client for the account, plus the calls answered with an empty `head :ok`. */
export function createAccountApplicationClient(settings: AccountApplicationClientSettings) {
  const client = createChatwootClient({ ...settings, rateLimitBackoffMs: undefined });
  return {
    client,
    /**
     * `POST` or `DELETE` below `/api/v1/accounts/{id}` whose answer has no body to read. Resolves
     * false for a 404 (the record is gone: `RecordNotFound`), true for a 2xx.
     */
    async sendWithoutAnswer(options: {
      operation: string;
      method: 'POST' | 'DELETE';
      path: string;
      json?: unknown;
      signal?: AbortSignal | undefined;
    }): Promise<boolean> {
      const response = await client.http.send({
        operation: options.operation,
        method: options.method,
        path: `/api/v1/accounts/${settings.accountId}${options.path}`,
        headers: { [settings.tokenHeader]: settings.userToken },
        signal: options.signal,
        ...(options.json === undefined ? {} : { json: options.json }),
      });
      if (response.status === 404) return false;
      if (response.status < 200 || response.status >= 300) {
        throw chatwootError({ provider: 'chatwoot', operation: options.operation }, response, {});
      }
      return true;
    },
  };
}

export type AccountApplicationClient = ReturnType<typeof createAccountApplicationClient>;

// Platform API calls (`/platform/api/v1/…`) with the platform app's token and Chatwoot's error mapping.

import { createHttpClient, readJsonAnswer } from '@handoff/http';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { chatwootError } from '../chatwoot-errors.js';

export interface ChatwootPlatformClientSettings {
  baseUrl: string;
  /** The platform app's access token (super admin console → Platform Apps). */
  platformToken: string;
  requestTimeoutMs: number;
  tokenHeader: 'api_access_token' | 'api-access-token';
  dispatcher?: Dispatcher | undefined;
}

export interface ChatwootPlatformCallOptions<Schema extends z.ZodType> {
  operation: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Path below `/platform/api/v1`. */
  path: string;
  json?: unknown;
  schema: Schema;
  signal?: AbortSignal | undefined;
}

/**
 * `PlatformController`: the token must be a platform app's (else 401 `Invalid access_token`), and
 * show, update and destroy of an account, user or agent bot the app did not create (no
 * `platform_app_permissibles` row) answer 401 `Non permissible resource`.
 */
export function createChatwootPlatformClient(settings: ChatwootPlatformClientSettings) {
  const http = createHttpClient({
    provider: 'chatwoot',
    baseUrl: settings.baseUrl,
    timeoutMs: settings.requestTimeoutMs,
    ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
  });
  return {
    async call<Schema extends z.ZodType>(
      options: ChatwootPlatformCallOptions<Schema>,
    ): Promise<z.output<Schema>> {
      const context = { provider: 'chatwoot', operation: options.operation };
      const response = await http.send({
        operation: options.operation,
        method: options.method,
        path: `/platform/api/v1${options.path}`,
        headers: { [settings.tokenHeader]: settings.platformToken },
        signal: options.signal,
        ...(options.json === undefined ? {} : { json: options.json }),
      });
      if (response.status < 200 || response.status >= 300) throw chatwootError(context, response, {});
      return readJsonAnswer(context, response.text, options.schema);
    },
  };
}

export type ChatwootPlatformClient = ReturnType<typeof createChatwootPlatformClient>;

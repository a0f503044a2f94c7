import { createHttpClient, readJsonAnswer } from '@handoff/http';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { rocketChatError } from './rocketchat-errors.js';

export interface RocketChatCallOptions<Schema extends z.ZodType> {
  operation: string;
  method: 'GET' | 'POST';
  /** The path under `/api/v1`, starting with `/`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  schema: Schema;
  signal?: AbortSignal | undefined;
}

export interface RocketChatClientSettings {
  baseUrl: string;
  userId: string;
  authToken: string;
  requestTimeoutMs: number;
  rateLimitBackoffMs: number;
  dispatcher?: Dispatcher | undefined;
  now: () => number;
}

/**
 * REST calls to `<baseUrl>/api/v1` as the configured user (`X-User-Id` + `X-Auth-Token`, a
 * personal access token), with Rocket.Chat's error mapping and minimal parsing of the answers.
 */
export function createRocketChatClient(settings: RocketChatClientSettings) {
  const http = createHttpClient({
    provider: 'rocketchat',
    baseUrl: `${settings.baseUrl.replace(/\/+$/, '')}/api/v1`,
    timeoutMs: settings.requestTimeoutMs,
    ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
  });
  const headers = { 'x-user-id': settings.userId, 'x-auth-token': settings.authToken };
  return {
    async call<Schema extends z.ZodType>(options: RocketChatCallOptions<Schema>): Promise<z.output<Schema>> {
      const context = { provider: 'rocketchat', operation: options.operation };
      const response = await http.send({
        operation: options.operation,
        method: options.method,
        path: options.path,
        headers,
        signal: options.signal,
        ...(options.query === undefined ? {} : { query: options.query }),
        ...(options.json === undefined ? {} : { json: options.json }),
      });
      if (response.status < 200 || response.status >= 300) throw rocketChatError(context, response, settings);
      return readJsonAnswer(context, response.text, options.schema);
    },
  };
}

export type RocketChatClient = ReturnType<typeof createRocketChatClient>;

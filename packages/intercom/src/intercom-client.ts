import { createHttpClient, readJsonAnswer } from '@handoff/http';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { intercomError } from './intercom-errors.js';
import type { ResolvedIntercomSettings } from './intercom-settings.js';

export interface IntercomCallOptions<Schema extends z.ZodType> {
  operation: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  schema: Schema;
  signal?: AbortSignal | undefined;
}

/** REST calls with the bearer token and `Intercom-Version`, Intercom's error mapping and minimal parsing. */
export function createIntercomClient(
  settings: ResolvedIntercomSettings & { dispatcher?: Dispatcher | undefined },
) {
  const http = createHttpClient({
    provider: 'intercom',
    baseUrl: settings.baseUrl,
    timeoutMs: settings.requestTimeoutMs,
    ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
  });
  const headers = {
    authorization: `Bearer ${settings.accessToken}`,
    'intercom-version': settings.intercomVersion,
    accept: 'application/json',
  };
  return {
    async call<Schema extends z.ZodType>(options: IntercomCallOptions<Schema>): Promise<z.output<Schema>> {
      const context = { provider: 'intercom', operation: options.operation };
      const response = await http.send({
        operation: options.operation,
        method: options.method,
        path: options.path,
        headers,
        signal: options.signal,
        ...(options.query === undefined ? {} : { query: options.query }),
        ...(options.json === undefined ? {} : { json: options.json }),
      });
      if (response.status < 200 || response.status >= 300) throw intercomError(context, response, settings);
      return readJsonAnswer(context, response.text, options.schema);
    },
  };
}

export type IntercomClient = ReturnType<typeof createIntercomClient>;

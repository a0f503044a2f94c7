import { createHttpClient, readJsonAnswer } from '@handoff/http';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { sunshineError } from './sunshine-errors.js';

/** @public */
export interface SunshineCallOptions<Schema extends z.ZodType> {
  operation: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** The path after the base URL, for example `/v2/apps/{appId}/users`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  schema: Schema;
  signal?: AbortSignal | undefined;
}

export interface BasicAuthClientSettings {
  provider: string;
  baseUrl: string;
  /** The Basic auth user name and password; only ever sent in the Authorization header. */
  user: string;
  password: string;
  requestTimeoutMs: number;
  rateLimitBackoffMs: number;
  dispatcher?: Dispatcher | undefined;
  now?: (() => number) | undefined;
}

/** JSON calls with Basic auth, the vendors' error mapping and minimal parsing of the answers. */
function createBasicAuthClient(settings: BasicAuthClientSettings) {
  const http = createHttpClient({
    provider: settings.provider,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.requestTimeoutMs,
    ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
  });
  const headers = {
    authorization: `Basic ${Buffer.from(`${settings.user}:${settings.password}`).toString('base64')}`,
    accept: 'application/json',
  };
  return {
    async call<Schema extends z.ZodType>(options: SunshineCallOptions<Schema>): Promise<z.output<Schema>> {
      const context = { provider: settings.provider, operation: options.operation };
      const response = await http.send({
        operation: options.operation,
        method: options.method,
        path: options.path,
        headers,
        signal: options.signal,
        ...(options.query === undefined ? {} : { query: options.query }),
        ...(options.json === undefined ? {} : { json: options.json }),
      });
      if (response.status < 200 || response.status >= 300) throw sunshineError(context, response, settings);
      return readJsonAnswer(context, response.text, options.schema);
    },
  };
}

export interface SunshineClientSettings {
  baseUrl: string;
  appId: string;
  keyId: string;
  keySecret: string;
  zendeskUrl: string;
  zendeskEmail: string;
  zendeskApiToken: string;
  requestTimeoutMs: number;
  rateLimitBackoffMs: number;
  dispatcher?: Dispatcher | undefined;
  now?: (() => number) | undefined;
}

/**
 * The two APIs the adapters call: Sunshine Conversations (`/v2/apps/{appId}/…`, Basic with the
 * app key) and the Zendesk Support API (`/api/v2/…`, Basic `{email}/token:{apiToken}`).
 */
export function createSunshineClients(settings: SunshineClientSettings) {
  const common = {
    provider: 'sunshine',
    requestTimeoutMs: settings.requestTimeoutMs,
    rateLimitBackoffMs: settings.rateLimitBackoffMs,
    dispatcher: settings.dispatcher,
    now: settings.now,
  };
  return {
    /** Paths under `/v2/apps/{appId}`. */
    appPath: (path: string) => `/v2/apps/${encodeURIComponent(settings.appId)}${path}`,
    sunshine: createBasicAuthClient({
      ...common,
      baseUrl: settings.baseUrl,
      user: settings.keyId,
      password: settings.keySecret,
    }),
    zendesk: createBasicAuthClient({
      ...common,
      baseUrl: settings.zendeskUrl,
      user: `${settings.zendeskEmail}/token`,
      password: settings.zendeskApiToken,
    }),
  };
}

export type SunshineClients = ReturnType<typeof createSunshineClients>;

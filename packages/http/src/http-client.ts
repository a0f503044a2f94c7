import { type Dispatcher, FormData, request } from 'undici';
import { callWithDeadline } from './call-with-deadline.js';
import { type ErrorContext, invalidResponseError } from './error-mapping.js';

export interface HttpClientSettings {
  /** Adapter name for errors, for example `chatwoot`. */
  provider: string;
  /** The vendor's base URL, for example `https://chatwoot.example.com`. */
  baseUrl: string;
  /** Used for every request: a proxy agent, a MockAgent in tests, a tuned pool. Default: undici's global. */
  dispatcher?: Dispatcher;
  /** Default call timeout. */
  timeoutMs: number;
  /** Sent with every request (credentials go per call, so the client never holds them). */
  headers?: Record<string, string>;
  /** Largest response body read; more is an `invalid_response`. Default 10 MB. */
  maxResponseBytes?: number;
}

export interface HttpRequestOptions {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as multipart/form-data. */
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text (JSON or not), decoded on first use. */
  readonly text: string;
  /** The body's bytes. */
  readonly bytes: Uint8Array;
}

/**
 * Requests over undici with a base URL, a dispatcher and a deadline. Resolves with every HTTP
 * answer (any status); rejects only with a SupportError for what never got an answer (abort,
 * timeout, network).
 */
export function createHttpClient(settings: HttpClientSettings) {
  const baseUrl = settings.baseUrl.replace(/\/+$/, '');
  const maxResponseBytes = settings.maxResponseBytes ?? 10 * 1024 * 1024;
  return {
    baseUrl,
    async send(options: HttpRequestOptions): Promise<HttpResponse> {
      const context: ErrorContext = { provider: settings.provider, operation: options.operation };
      const url = new URL(`${baseUrl}${options.path}`);
      for (const [name, value] of Object.entries(options.query ?? {})) {
        if (value !== undefined) url.searchParams.set(name, String(value));
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...settings.headers,
        ...options.headers,
      };
      let body: string | FormData | undefined;
      if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.json);
      } else if (options.form !== undefined) {
        body = options.form;
      }
      return callWithDeadline(
        context,
        { signal: options.signal, timeoutMs: options.timeoutMs ?? settings.timeoutMs },
        async (signal) => {
          const response = await request(url, {
            method: options.method,
            headers,
            signal,
            ...(body === undefined ? {} : { body }),
            ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
          });
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const chunk of response.body) {
            size += (chunk as Buffer).length;
            if (size > maxResponseBytes) {
              response.body.destroy();
              throw invalidResponseError(context, `the response is larger than ${maxResponseBytes} bytes`);
            }
            chunks.push(chunk as Buffer);
          }
          const bytes = Buffer.concat(chunks);
          let text: string | undefined;
          return {
            status: response.statusCode,
            headers: response.headers,
            bytes,
            get text() {
              text ??= bytes.toString('utf8');
              return text;
            },
          };
        },
      );
    },
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;
export { FormData };

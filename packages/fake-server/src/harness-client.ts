/**
 * How a harness acts in the vendor's UI: calls to the fake's own API marked as the harness's (never
 * faulted, throttled or recorded), where anything but a 2xx is a failure of the harness.
 */
import { FormData, request } from 'undici';

export interface HarnessClientSettings {
  /** Where the paths start, e.g. `http://127.0.0.1:<port>/api/v1/accounts/1`. */
  baseUrl: string;
  /** The fake's harness header. */
  harnessHeader: string;
  /** Named in errors: `the fake Chatwoot`. */
  fakeName: string;
  /** Sent with every call (credentials, API version). */
  headers?: Record<string, string>;
}

export function createHarnessClient(settings: HarnessClientSettings) {
  return {
    /**
     * POSTs a JSON body (or an undici `FormData`) as the harness; resolves to the parsed JSON answer
     * (the text when not JSON, undefined when empty), throws on anything but a 2xx.
     */
    async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
      const form = body instanceof FormData;
      const response = await request(`${settings.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          ...settings.headers,
          ...headers,
          [settings.harnessHeader]: '1',
          ...(form ? {} : { 'content-type': 'application/json' }),
        },
        body: form ? body : JSON.stringify(body),
      });
      const text = await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw new Error(
          `${settings.fakeName} refused the harness's POST ${path}: HTTP ${response.statusCode} ${text}`,
        );
      }
      if (text === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    },
  };
}

export type HarnessClient = ReturnType<typeof createHarnessClient>;

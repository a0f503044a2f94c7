/**
 * How a fake's error answers look: the vendor's bodies for no route, a bad path, a bad body, the
 * rate limit and each injected fault. A fake gives its vendor's; the rest are these generic ones.
 */
import { STATUS_CODES } from 'node:http';
import { type FakeHttpResponse, jsonResponse } from './fake-http-response.js';

export interface FakeErrorResponses {
  /** No route for the method and path. */
  notFound(request: { method: string; path: string }): FakeHttpResponse;
  /** A route matched but a path segment is not valid percent-encoding. */
  badPath(): FakeHttpResponse;
  /** The body does not parse (not JSON, a broken form). */
  invalidBody(): FakeHttpResponse;
  /** Over the rate limit, or the `rate_limited` fault; `headers` are the rate limit's. */
  rateLimited(headers: Record<string, string>): FakeHttpResponse;
  /** The `unauthorized` fault. */
  unauthorized(): FakeHttpResponse;
  /** The `server_error` fault. */
  serverError(): FakeHttpResponse;
  /** The `http_status` fault: the body the vendor sends with this status. */
  status(status: number): FakeHttpResponse;
  /** The `malformed_body` fault: a 2xx whose body is cut off. */
  malformedBody(): FakeHttpResponse;
  /** The fake itself broke (a bug in a route): say what broke. */
  fakeBug(error: unknown): FakeHttpResponse;
}

const plainError = (status: number, headers: Record<string, string> = {}) =>
  jsonResponse(
    status,
    {
      error: (STATUS_CODES[status] ?? 'Error').toLowerCase().replaceAll(' ', '_'),
      message: STATUS_CODES[status] ?? 'Error',
    },
    headers,
  );

/** `{"error": "not_found", "message": "Not Found"}` and so on: for a fake whose vendor bodies are not written yet. */
export const genericErrorResponses: FakeErrorResponses = {
  notFound: () => plainError(404),
  badPath: () => plainError(400),
  invalidBody: () => plainError(400),
  rateLimited: (headers) => plainError(429, headers),
  unauthorized: () => plainError(401),
  serverError: () => plainError(500),
  status: (status) => plainError(status),
  malformedBody: () => ({ ...jsonResponse(200, null), body: '{"id":"1","name":"Ja' }),
  fakeBug: (error) =>
    jsonResponse(500, {
      error: 'fake_bug',
      message: error instanceof Error ? error.message : String(error),
    }),
};

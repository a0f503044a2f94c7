/**
 * Chatwoot's answers where the kit's pipeline answers: no route (Rails' public exceptions app), a
 * bad path or body (`ActionController::BadRequest`), rack-attack's throttle, and each injected
 * fault as Chatwoot, or the nginx in front of it, sends it.
 */
import type { FakeErrorResponses, FakeHttpResponse } from '@handoff/fake-server';
import { jsonResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';

/** nginx's error page, as a reverse proxy in front of Chatwoot sends it for 502, 503 and 504. */
function proxyPage(status: number, reason: string): FakeHttpResponse {
  return {
    status,
    headers: { 'content-type': 'text/html' },
    body: `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  };
}

/** What Chatwoot (or the proxy in front of it) answers with `status`. */
function statusResponse(status: number): FakeHttpResponse {
  switch (status) {
    case 400:
      return chatwootErrors.badRequest();
    case 401:
      return chatwootErrors.invalidAccessToken();
    case 404:
      return chatwootErrors.notFound();
    case 422:
      return chatwootErrors.invalidRecord([{ attribute: 'base', message: 'Validation failed' }]);
    case 500:
      return chatwootErrors.serverError();
    case 502:
      return proxyPage(502, 'Bad Gateway');
    case 503:
      return proxyPage(503, 'Service Temporarily Unavailable');
    case 504:
      return proxyPage(504, 'Gateway Time-out');
    default:
      // Rails' public exceptions app: `{status, error}` with the reason phrase.
      return jsonResponse(status, {
        status,
        error: status === 403 ? 'Forbidden' : status === 409 ? 'Conflict' : 'Error',
      });
  }
}

export const chatwootErrorResponses: FakeErrorResponses = {
  notFound: chatwootErrors.noRoute,
  // A bad %-escape is Rails' ActionController::BadRequest: 400, before any action.
  badPath: chatwootErrors.badRequest,
  invalidBody: chatwootErrors.badRequest,
  // rack-attack's throttle says nothing of when to come back, so an injected `retryAfterMs` has nothing to map to.
  rateLimited: chatwootErrors.throttled,
  unauthorized: chatwootErrors.invalidAccessToken,
  serverError: chatwootErrors.serverError,
  status: statusResponse,
  malformedBody: () => ({
    ...jsonResponse(200, null),
    body: '{"payload":{"contact":{"id":51,"name":"Ja',
  }),
  // A bug in the fake, not Chatwoot behaviour: say what broke, like Rails does in development.
  fakeBug: (error) =>
    jsonResponse(500, {
      status: 500,
      error: 'Internal Server Error',
      exception: error instanceof Error ? error.message : String(error),
    }),
};

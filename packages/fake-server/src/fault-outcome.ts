/** What a fake does with a request that met a fault: answer in its place, drop, hang, answer late or lose the answer. */
import type { FakeErrorResponses } from './error-responses.js';
import type { FakeHttpResponse } from './fake-http-response.js';
import type { FakeFault } from './fault-queue.js';

export type FaultOutcome =
  /** The request is not processed; this is the answer. */
  | { kind: 'respond'; response: FakeHttpResponse }
  /** The connection is reset; nothing is processed. */
  | { kind: 'reset' }
  /** Never answered; the socket stays open until the client gives up or the fake closes. */
  | { kind: 'hang' }
  /** Processed at once, answered after the delay (if the client still listens). */
  | { kind: 'answer-late'; delayMs: number }
  /** Processed, then the connection drops before the answer: the client cannot know it worked. */
  | { kind: 'answer-lost' };

export function faultOutcome(
  fault: FakeFault,
  responses: FakeErrorResponses,
  rateLimitHeaders: (retryAfterMs: number | undefined) => Record<string, string>,
): FaultOutcome {
  switch (fault.kind) {
    case 'unauthorized':
      return { kind: 'respond', response: responses.unauthorized() };
    case 'rate_limited':
      return { kind: 'respond', response: responses.rateLimited(rateLimitHeaders(fault.retryAfterMs)) };
    case 'server_error':
      return { kind: 'respond', response: responses.serverError() };
    case 'http_status':
      return { kind: 'respond', response: responses.status(fault.status) };
    case 'malformed_body':
      return { kind: 'respond', response: responses.malformedBody() };
    case 'connection_reset':
      return { kind: 'reset' };
    case 'timeout':
      return { kind: 'hang' };
    case 'slow':
      return { kind: 'answer-late', delayMs: fault.delayMs };
    case 'lost_answer':
      return { kind: 'answer-lost' };
  }
}

import { type FakeHttpResponse, intercomErrors } from './fake-http-response.js';

/** A failure the fake makes the next non-harness requests see instead of the answer. */
export type FakeFault =
  | { kind: 'unauthorized' }
  | { kind: 'rate_limited'; retryAfterMs?: number }
  | { kind: 'server_error' }
  | { kind: 'connection_reset' }
  | { kind: 'timeout' }
  | { kind: 'malformed_body' };

/** Faults queued for the next non-harness requests, one per request, in order. */
export function createFaultQueue() {
  const queue: FakeFault[] = [];
  return {
    inject(fault: FakeFault, times = 1): void {
      for (let index = 0; index < times; index += 1) queue.push(fault);
    },
    next(): FakeFault | undefined {
      return queue.shift();
    },
  };
}

export type FaultQueue = ReturnType<typeof createFaultQueue>;

/** What the fake does instead of answering (the request is not processed). */
export type FaultOutcome =
  | { kind: 'respond'; response: FakeHttpResponse }
  | { kind: 'reset' }
  | { kind: 'hang' };

export function faultOutcome(
  fault: FakeFault,
  rateLimitHeaders: (retryAfterMs: number | undefined) => Record<string, string>,
): FaultOutcome {
  switch (fault.kind) {
    case 'unauthorized':
      return { kind: 'respond', response: intercomErrors.unauthorized() };
    case 'rate_limited':
      return { kind: 'respond', response: intercomErrors.rateLimited(rateLimitHeaders(fault.retryAfterMs)) };
    case 'server_error':
      return { kind: 'respond', response: intercomErrors.serverError() };
    case 'malformed_body':
      return {
        kind: 'respond',
        response: {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: '{"type":"conversation","id":"501","created_at":17345',
        },
      };
    case 'connection_reset':
      return { kind: 'reset' };
    case 'timeout':
      return { kind: 'hang' };
  }
}

import type { HarnessFault } from '@handoff/core';
import { chatwootErrors, type FakeHttpResponse, jsonResponse } from './fake-http-response.js';

/** Faults queued for the next non-harness requests, in order. */
export function createFaultQueue() {
  const queue: HarnessFault[] = [];
  return {
    inject(fault: HarnessFault, times = 1): void {
      for (let count = 0; count < times; count += 1) queue.push(fault);
    },
    next(): HarnessFault | undefined {
      return queue.shift();
    },
  };
}

export type FaultQueue = ReturnType<typeof createFaultQueue>;

/** What the fake does instead of answering: send a response, drop the socket, or stay silent. */
export type FaultOutcome =
  | { kind: 'respond'; response: FakeHttpResponse }
  | { kind: 'reset' }
  | { kind: 'hang' };

export function faultOutcome(fault: HarnessFault): FaultOutcome {
  switch (fault.kind) {
    case 'unauthorized':
      return { kind: 'respond', response: chatwootErrors.invalidAccessToken() };
    case 'rate_limited':
      // Chatwoot never says how long to wait (notes §5), so `retryAfterMs` has nothing to map to.
      return { kind: 'respond', response: chatwootErrors.throttled() };
    case 'server_error':
      return { kind: 'respond', response: chatwootErrors.serverError() };
    case 'malformed_body':
      return {
        kind: 'respond',
        response: { ...jsonResponse(200, null), body: '{"payload":{"contact":{"id":51,"name":"Ja' },
      };
    case 'connection_reset':
      return { kind: 'reset' };
    case 'timeout':
      return { kind: 'hang' };
  }
}

import type { HarnessFault, InjectFaultOptions } from '@handoff/core';
import { errorList, type FakeHttpResponse, intercomErrors } from './fake-http-response.js';

/**
 * A failure the fake makes the next non-harness requests see instead of the answer; with
 * `lost_answer` the request is processed and the connection drops before the answer.
 */
export type FakeFault = HarnessFault;

/** Faults queued for the next non-harness requests, one per request, in order. */
export function createFaultQueue() {
  // `undefined` lets a request through untouched (the `after` of an injection).
  const queue: Array<FakeFault | undefined> = [];
  return {
    inject(fault: FakeFault, options: number | InjectFaultOptions = {}): void {
      const { times = 1, after = 0 } = typeof options === 'number' ? { times: options } : options;
      for (let index = 0; index < after; index += 1) queue.push(undefined);
      for (let index = 0; index < times; index += 1) queue.push(fault);
    },
    next(): FakeFault | undefined {
      return queue.shift();
    },
    /** Drops the queued faults; returns how many were never met. */
    clear(): number {
      const dropped = queue.filter((fault) => fault !== undefined).length;
      queue.length = 0;
      return dropped;
    },
  };
}

export type FaultQueue = ReturnType<typeof createFaultQueue>;

/** What the fake does instead of answering (the request is not processed). */
export type FaultOutcome =
  | { kind: 'respond'; response: FakeHttpResponse }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'answer-lost' };

/** Intercom's error list for a status it answers (`code` as its API reference names them). */
const statusErrors: Record<number, [string, string]> = {
  400: ['parameter_invalid', 'Parameter invalid'],
  403: ['api_plan_restricted', 'Active subscription needed.'],
  404: ['not_found', 'Resource Not Found'],
  409: ['conflict', 'Conflict'],
  422: ['parameter_invalid', 'The request could not be processed'],
  500: ['server_error', 'Server Error'],
  502: ['server_error', 'Bad Gateway'],
  503: ['service_unavailable', 'Service Unavailable'],
  504: ['server_error', 'Gateway Timeout'],
};

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
    case 'http_status': {
      const [code, message] = statusErrors[fault.status] ?? ['server_error', 'Error'];
      return { kind: 'respond', response: errorList(fault.status, code, message) };
    }
    case 'lost_answer':
      return { kind: 'answer-lost' };
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

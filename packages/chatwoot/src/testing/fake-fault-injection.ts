import type { HarnessFault, InjectFaultOptions } from '@handoff/core';
import { seededRandom } from '@handoff/http';
import { chatwootErrors, type FakeHttpResponse, jsonResponse } from './fake-http-response.js';

/**
 * A fault of the fake: the harness faults (the request is not processed) plus two where it is:
 * `slow` answers after a delay (perhaps after the client gave up), `lost_answer` processes the
 * request and drops the connection before answering. Those two are what make retries duplicate.
 */
export type FakeFault = HarnessFault | { kind: 'slow'; delayMs: number };

export type RandomFaultKind =
  | 'server_error'
  | 'rate_limited'
  | 'connection_reset'
  | 'timeout'
  | 'slow'
  | 'lost_answer';

export interface RandomFaults {
  /** Share of non-harness requests that fail, 0 to 1. */
  probability: number;
  kinds: readonly RandomFaultKind[];
  /** Same seed, same faults. */
  seed: number;
  /** Delay range of `slow` answers. Default 200 to 1,500 ms. */
  slowMs?: readonly [number, number];
}

/** Faults queued for the next non-harness requests, then random ones when configured. */
export function createFaultQueue() {
  // `undefined` lets a request through untouched (the `after` of an injection).
  const queue: Array<FakeFault | undefined> = [];
  let random: { settings: RandomFaults; next: () => number } | undefined;
  const injected = new Map<string, number>();
  const count = (fault: FakeFault) => {
    injected.set(fault.kind, (injected.get(fault.kind) ?? 0) + 1);
    return fault;
  };
  return {
    inject(fault: FakeFault, options: number | InjectFaultOptions = {}): void {
      const { times = 1, after = 0 } = typeof options === 'number' ? { times: options } : options;
      for (let index = 0; index < after; index += 1) queue.push(undefined);
      for (let index = 0; index < times; index += 1) queue.push(fault);
    },
    /** Drops the queued faults; returns how many were never met. */
    clear(): number {
      const dropped = queue.filter((fault) => fault !== undefined).length;
      queue.length = 0;
      return dropped;
    },
    setRandom(settings: RandomFaults | undefined): void {
      random = settings === undefined ? undefined : { settings, next: seededRandom(settings.seed) };
    },
    next(): FakeFault | undefined {
      if (queue.length > 0) {
        const queued = queue.shift();
        return queued === undefined ? undefined : count(queued);
      }
      if (random === undefined || random.next() >= random.settings.probability) return undefined;
      const kinds = random.settings.kinds;
      const kind = kinds[Math.floor(random.next() * kinds.length)] ?? 'server_error';
      if (kind === 'slow') {
        const [low, high] = random.settings.slowMs ?? [200, 1_500];
        return count({ kind, delayMs: Math.round(low + random.next() * (high - low)) });
      }
      return count({ kind });
    },
    /** How many faults of each kind were injected so far. */
    injected(): Record<string, number> {
      return Object.fromEntries(injected);
    },
  };
}

export type FaultQueue = ReturnType<typeof createFaultQueue>;

/** What the fake does instead of (or around) answering. */
export type FaultOutcome =
  | { kind: 'respond'; response: FakeHttpResponse }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'answer-late'; delayMs: number }
  | { kind: 'answer-lost' };

export function faultOutcome(fault: FakeFault): FaultOutcome {
  switch (fault.kind) {
    case 'unauthorized':
      return { kind: 'respond', response: chatwootErrors.invalidAccessToken() };
    case 'rate_limited':
      // Chatwoot never says how long to wait (rack-attack's default throttled response, `config/initializers/rack_attack.rb`), so `retryAfterMs` has nothing to map to.
      return { kind: 'respond', response: chatwootErrors.throttled() };
    case 'server_error':
      return { kind: 'respond', response: chatwootErrors.serverError() };
    case 'http_status':
      return { kind: 'respond', response: statusResponse(fault.status) };
    case 'malformed_body':
      return {
        kind: 'respond',
        response: { ...jsonResponse(200, null), body: '{"payload":{"contact":{"id":51,"name":"Ja' },
      };
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

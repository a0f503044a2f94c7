/** A route's way out with an error answer: throw it anywhere below a route, the pipeline sends it. */
import type { FakeHttpResponse } from './fake-http-response.js';

/** Thrown by a route, a reader or a pipeline hook to answer with an error instead. */
export class FakeRefusal extends Error {
  constructor(readonly response: FakeHttpResponse) {
    super(`refused with HTTP ${response.status}`);
    this.name = 'FakeRefusal';
  }
}

/** Refuses the request with this answer. */
export function refuse(response: FakeHttpResponse): never {
  throw new FakeRefusal(response);
}

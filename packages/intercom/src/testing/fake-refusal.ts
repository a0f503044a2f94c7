import type { FakeHttpResponse } from './fake-http-response.js';

/** Thrown by a route or a reader to answer with an error; the request handler sends `response`. */
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

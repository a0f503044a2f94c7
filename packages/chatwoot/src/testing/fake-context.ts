import type { FakeState } from './fake-state.js';
import type { FakeWebhooks } from './fake-webhook-routing.js';

/** What the fake's routes and rules work with. */
export interface FakeContext {
  state: FakeState;
  webhooks: FakeWebhooks;
  now: () => Date;
  /** `http://127.0.0.1:<port>`, for the attachment URLs. */
  baseUrl: string;
}

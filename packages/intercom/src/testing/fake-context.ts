import type { FakeState } from './fake-state.js';
import type { WebhookDelivery } from './fake-webhook-delivery.js';

/** What the fake's routes and rules work with. */
export interface FakeContext {
  state: FakeState;
  webhooks: WebhookDelivery;
  now: () => Date;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
}

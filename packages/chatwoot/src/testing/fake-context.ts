import type { FakeInstallation } from './fake-installation.js';
import type { FakeState } from './fake-state.js';
import type { FakeWebhooks } from './fake-webhook-routing.js';

/** What the fake's routes and rules work with. */
export interface FakeContext {
  /** The account of the request (the seeded one outside any account). */
  state: FakeState;
  /** Every account, user, agent bot and platform app. */
  installation: FakeInstallation;
  webhooks: FakeWebhooks;
  now: () => Date;
  /** `http://127.0.0.1:<port>`, for the attachment URLs. */
  baseUrl: string;
}

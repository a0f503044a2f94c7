import type { FakeRoute } from '@handoff/fake-server';
import type { FakeState } from './fake-state.js';
import type { WebhookDelivery } from './fake-webhook-delivery.js';

/** What the fake's routes work with. */
export interface FakeSunshineContext {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  state: FakeState;
  webhooks: WebhookDelivery;
}

/** What a route gets: the path segments (`:id`), the query and the parsed JSON body. */
export interface FakeSunshineRequest {
  context: FakeSunshineContext;
  path: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** One route of the fake: same method, path and answers as the vendor's API reference. */
export type FakeSunshineRoute = FakeRoute<FakeSunshineRequest>;

/** Where the Sunshine Conversations API of the fake starts (`https://{subdomain}.zendesk.com/sc`). */
export const sunshinePrefix = '/sc/v2/apps/:appId';

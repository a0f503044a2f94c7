import type { FakeRoute } from '@handoff/fake-server';
import type { LivechatWebhooks } from './fake-livechat-webhook.js';
import type { FakeUser } from './fake-records.js';
import type { FakeState } from './fake-state.js';

/** What the fake's routes work with. */
export interface FakeRocketChatContext {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  state: FakeState;
  webhooks: LivechatWebhooks;
}

/** What a route gets: the caller (when the request logged in), the path segments, the query and the JSON body. */
export interface FakeRocketChatRequest {
  context: FakeRocketChatContext;
  /** The user of `X-User-Id` + `X-Auth-Token`, when both are valid. */
  user: FakeUser | undefined;
  path: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** One route of the fake: the method and path of Rocket.Chat's REST API v1. */
export type FakeRocketChatRoute = FakeRoute<FakeRocketChatRequest>;

/** Where Rocket.Chat's REST API starts. */
export const apiPrefix = '/api/v1';

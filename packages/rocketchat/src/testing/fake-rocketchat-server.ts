import type { WebhookRequest } from '@handoff/core';
import {
  type FakeErrorResponses,
  type FakeFaultControls,
  jsonResponse,
  type RecordedRequest,
  startFakeServer,
} from '@handoff/fake-server';
import { failure } from './fake-answers.js';
import type { FakeRocketChatContext, FakeRocketChatRoute } from './fake-context.js';
import { departmentRoutes } from './fake-department-routes.js';
import { createLivechatWebhooks } from './fake-livechat-webhook.js';
import { messageRoutes } from './fake-message-routes.js';
import { roomRoutes } from './fake-room-routes.js';
import { createFakeState, type FakeState, type FakeStateSettings } from './fake-state.js';
import { visitorRoutes } from './fake-visitor-routes.js';

export interface FakeRocketChatOptions extends FakeStateSettings {
  /** The pause before a failed Livechat webhook is sent again (Rocket.Chat: 20 s). Default 50 ms. */
  webhookRetryDelayMs?: number;
  /** Default `unordered`: each delivery is its own request, as with Rocket.Chat. */
  webhookOrder?: 'ordered' | 'unordered';
}

export interface FakeRocketChat extends FakeFaultControls {
  /** `http://127.0.0.1:<port>`: the server's origin (the API is under `/api/v1`). */
  baseUrl: string;
  /** The adapter's user (external mode): its id and personal access token. */
  userId: string;
  authToken: string;
  /** The bot agent's user (internal mode). */
  botUserId: string;
  botAuthToken: string;
  /** The Livechat secret token (`X-RocketChat-Livechat-Token`). */
  webhookSecret: string;
  state: FakeState;
  context: FakeRocketChatContext;
  /** Every request not made by the harness: method, path, headers, body, timing, answer. */
  requests: RecordedRequest[];
  /** Omnichannel → Webhooks → Webhook URL; undefined: only to `onWebhook` listeners. */
  setWebhookUrl(url: string | undefined): void;
  /** Every Livechat webhook the fake sends, as the receiver gets it. */
  onWebhook(listener: (request: WebhookRequest) => void): () => void;
  /** Resolves once every webhook emitted so far was delivered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Requests with this header come from the harness: never faulted, throttled or recorded. */
export const harnessHeader = 'x-fake-rocketchat-harness';

const routes: FakeRocketChatRoute[] = [
  ...visitorRoutes,
  ...roomRoutes,
  ...messageRoutes,
  ...departmentRoutes,
];

/** Rocket.Chat's answers to what no route handles and to injected faults (ApiClass.ts). */
const responses: Partial<FakeErrorResponses> = {
  notFound: () => jsonResponse(404, { success: false, error: 'Resource not found' }),
  badPath: () => failure('Invalid path'),
  invalidBody: () => failure('Unexpected token in JSON'),
  rateLimited: (headers) =>
    jsonResponse(
      429,
      {
        success: false,
        error:
          'Error, too many requests. Please slow down. You must wait 60 seconds before trying this endpoint again. [error-too-many-requests]',
      },
      headers,
    ),
  unauthorized: () =>
    jsonResponse(401, {
      success: false,
      error: 'You must be logged in to do this.',
      status: 'error',
      message: 'You must be logged in to do this.',
    }),
  serverError: () => jsonResponse(500, { success: false, error: 'Internal server error' }),
  status: (status) => jsonResponse(status, { success: false, error: `HTTP ${status}` }),
};

/**
 * Starts the fake Rocket.Chat (Omnichannel, REST API v1) on a free loopback port: the routes the
 * adapter and the bot agent call, their validations and error bodies, manual-selection routing,
 * and the Livechat webhook with its secret token, built on `@handoff/fake-server`.
 */
export async function startFakeRocketChat(options: FakeRocketChatOptions = {}): Promise<FakeRocketChat> {
  const state = createFakeState(options);
  const webhooks = createLivechatWebhooks({
    state,
    retryDelayMs: options.webhookRetryDelayMs ?? 50,
    order: options.webhookOrder ?? 'unordered',
  });
  const server = await startFakeServer({
    context: (baseUrl): FakeRocketChatContext => ({ baseUrl, state, webhooks }),
    routes,
    harnessHeader,
    // `x-user-id` + `x-auth-token`: the user whose login token it is.
    authenticate: (headers) => {
      const userId = headers['x-user-id'];
      const token = headers['x-auth-token'];
      if (userId === undefined && token === undefined) return { outcome: 'none', user: undefined };
      const user = state.users.find((candidate) => candidate._id === userId && candidate.authToken === token);
      return user === undefined ? { outcome: 'invalid', user: undefined } : { outcome: 'user', user };
    },
    routeRequest: (request, { path }, context) => ({
      context,
      user: request.authentication.user,
      path,
      query: request.query,
      body: request.body.kind === 'json' ? request.body.value : undefined,
    }),
    responses,
    rateLimit: {
      headers: ({ limit, remaining, resetAtMs }) => ({
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': String(resetAtMs),
      }),
      unconfigured: { limit: 10, windowMs: 60_000 },
    },
  });

  return {
    baseUrl: server.baseUrl,
    userId: state.apiUser._id,
    authToken: state.apiUser.authToken,
    botUserId: state.botUser._id,
    botAuthToken: state.botUser.authToken,
    webhookSecret: state.settings.Livechat_secret_token,
    state,
    context: server.context,
    requests: server.requests,
    ...server.faults,
    setWebhookUrl(url) {
      state.settings.Livechat_webhookUrl = url;
    },
    onWebhook: (listener) => webhooks.subscribe(listener),
    idle: () => webhooks.idle(),
    async close() {
      webhooks.stop();
      await server.close();
    },
  };
}

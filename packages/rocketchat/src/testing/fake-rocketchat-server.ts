import { randomBytes } from 'node:crypto';
import type { WebhookRequest } from '@handoff/core';
import {
  createWebhookSender,
  type FakeErrorResponses,
  type FakeFaultControls,
  type FakeRoute,
  jsonResponse,
  type RecordedRequest,
  startFakeServer,
  type WebhookSender,
} from '@handoff/fake-server';

/** What the fake's routes work with: add Rocket.Chat's records here as the routes need them. */
export interface FakeRocketchatContext {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  webhooks: WebhookSender;
}

/** What a route gets: the path segments (`:id`), the query and the parsed JSON body. */
export interface FakeRocketchatRequest {
  context: FakeRocketchatContext;
  path: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** One route of the fake: same method, path and answers as Rocket.Chat's API reference. */
export type FakeRocketchatRoute = FakeRoute<FakeRocketchatRequest>;

export interface FakeRocketchat extends FakeFaultControls {
  baseUrl: string;
  /** The token the fake accepts (`Authorization: Bearer <token>`: change to what Rocket.Chat uses). */
  token: string;
  /** The key the fake signs its webhooks with. */
  webhookSecret: string;
  /** Every request not made by the harness: method, path, headers, body, timing, answer. */
  requests: RecordedRequest[];
  /** Where the fake POSTs its webhooks; undefined: only to `onWebhook` listeners. */
  setWebhookUrl(url: string | undefined): void;
  /** Sends a webhook as Rocket.Chat would (signed, in order); routes and agent actions call it. */
  emitWebhook(payload: unknown): void;
  /** Every webhook the fake sends, as the receiver gets it. */
  onWebhook(listener: (request: WebhookRequest) => void): () => void;
  /** Resolves once every webhook emitted so far was delivered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Requests with this header come from the harness: never faulted, throttled or recorded. */
export const harnessHeader = 'x-fake-rocketchat-harness';

/**
 * The routes of the fake. Empty at first: add each endpoint the adapter calls, from Rocket.Chat's
 * API reference and OpenAPI document, with the same paths, status codes, error bodies and quirks
 * (CONTRIBUTING.md, "2. A faithful fake").
 */
const routes: FakeRocketchatRoute[] = [];

/**
 * Rocket.Chat's error answers: replace each with the vendor's body (its 401, 404, 429, 5xx and the
 * rate limit headers it sends); those left out are `@handoff/fake-server`'s generic ones.
 */
const responses: Partial<FakeErrorResponses> = {
  notFound: ({ method, path }) =>
    jsonResponse(404, {
      error: 'not_found',
      message: `the fake Rocket.Chat has no route ${method} ${path} yet: add it from the API reference (CONTRIBUTING.md#2-a-faithful-fake)`,
    }),
};

/**
 * Starts the fake Rocket.Chat on a free loopback port, built on `@handoff/fake-server`: it checks
 * the token, records requests, answers injected faults (`slow` and `lost_answer` too) and unknown
 * routes, and can send signed webhooks; the records, routes and error bodies are yours to write
 * from the vendor's documentation.
 */
export async function startFakeRocketchat(): Promise<FakeRocketchat> {
  const token = randomBytes(12).toString('hex');
  const webhookSecret = randomBytes(16).toString('hex');
  let webhookUrl: string | undefined;
  const webhooks = createWebhookSender({
    // Replace with Rocket.Chat's signature headers (see @handoff/http's verifyBodySignature).
    headersFor: () => ({ 'content-type': 'application/json' }),
    url: () => webhookUrl,
    timeoutMs: 5_000,
  });
  const server = await startFakeServer({
    context: (baseUrl): FakeRocketchatContext => ({ baseUrl, webhooks }),
    routes,
    harnessHeader,
    authenticate: (headers) => {
      if (headers.authorization === undefined) return { outcome: 'none' };
      return { outcome: headers.authorization === `Bearer ${token}` ? 'user' : 'invalid' };
    },
    // Every call needs the token (change to where Rocket.Chat checks it, and its 401 body).
    intercept: (request) =>
      request.authentication.outcome === 'user' ? undefined : jsonResponse(401, { error: 'unauthorized' }),
    routeRequest: (request, { path }, context) => ({
      context,
      path,
      query: request.query,
      body: request.body.kind === 'json' ? request.body.value : undefined,
    }),
    responses,
  });

  return {
    baseUrl: server.baseUrl,
    token,
    webhookSecret,
    requests: server.requests,
    ...server.faults,
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    emitWebhook: (payload) => webhooks.emit(payload),
    onWebhook: (listener) => webhooks.subscribe(listener),
    idle: () => webhooks.idle(),
    async close() {
      webhooks.stop();
      await server.close();
    },
  };
}

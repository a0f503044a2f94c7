/**
 * A fake's request pipeline, in the order a real deployment runs it: the network (injected
 * faults), the rate limit, then the vendor's own checks (`intercept`), the router, the body, the
 * route's request (auth checks) and the route. Every request but the harness's is recorded.
 */
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type FakeErrorResponses, genericErrorResponses } from './error-responses.js';
import type { FakeHttpResponse } from './fake-http-response.js';
import { FakeRefusal } from './fake-refusal.js';
import { createFakeRouter, type FakeRoute } from './fake-router.js';
import { faultOutcome } from './fault-outcome.js';
import { createFaultQueue } from './fault-queue.js';
import { createRateLimiter, type RateLimitSettings } from './rate-limiter.js';
import { flatHeaders, type RecordedRequest, recordedResponse } from './recorded-request.js';
import { type ParsedBody, parseRequestBody, readRawBody, recordedBody } from './request-body.js';

/** Who made a request: a client of the API (the adapter under test), or the harness acting in the vendor's UI. */
export type FakeCaller = 'api' | 'harness';

/** How a request authenticated: `outcome` is recorded (`user`, `none`, `invalid`, ...); the rest is the fake's. */
export interface FakeAuthentication {
  outcome: string;
}

/** A request as the pipeline's hooks see it. */
export interface FakeRequest<Authentication extends FakeAuthentication> {
  method: string;
  url: URL;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: ParsedBody;
  authentication: Authentication;
  caller: FakeCaller;
}

/** The request a route's `handle` takes. */
export type RouteRequestOf<Route extends FakeRoute<never>> = Parameters<Route['handle']>[0];

export interface RequestPipelineSettings<
  Context,
  Route extends FakeRoute<never>,
  Authentication extends FakeAuthentication,
> {
  /** What the hooks work with: the fake's state and whatever else its routes need. */
  context: Context;
  /** `http://127.0.0.1:<port>`, the base of request URLs. */
  baseUrl: string;
  routes: readonly Route[];
  /** Requests with this header set to `1` come from the harness: never faulted, throttled or recorded. */
  harnessHeader: string;
  /** Reads the credentials of a request (called for every request, before any fault). */
  authenticate: (headers: IncomingHttpHeaders, context: Context) => Authentication;
  /**
   * Answers before routing (file downloads, a token every path needs), or undefined to route on.
   * May throw a `FakeRefusal`.
   */
  intercept?: (request: FakeRequest<Authentication>, context: Context) => FakeHttpResponse | undefined;
  /**
   * The request the matched route gets. Throw a `FakeRefusal` (`refuse(answer)`) to answer instead:
   * the vendor's auth checks, a route its release does not have.
   */
  routeRequest: (
    request: FakeRequest<Authentication>,
    match: { route: Route; path: Record<string, string> },
    context: Context,
  ) => RouteRequestOf<Route>;
  /** The vendor's error answers; those not given are `genericErrorResponses`. */
  responses?: Partial<FakeErrorResponses>;
  /** Whether bodies may be multipart or URL-encoded forms. Default false: every body is read as JSON. */
  forms?: boolean;
  rateLimit?: RateLimitSettings;
  /** The clock of the rate limit windows. */
  now?: () => Date;
}

function send(
  response: ServerResponse,
  answer: FakeHttpResponse,
  extraHeaders: Record<string, string> = {},
): void {
  response.writeHead(answer.status, { ...answer.headers, ...extraHeaders });
  response.end(answer.body);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createRequestPipeline<
  Context,
  Route extends FakeRoute<never>,
  Authentication extends FakeAuthentication,
>(settings: RequestPipelineSettings<Context, Route, Authentication>) {
  const { context } = settings;
  const responses: FakeErrorResponses = { ...genericErrorResponses, ...settings.responses };
  const router = createFakeRouter(settings.routes);
  const faults = createFaultQueue();
  const rateLimiter = createRateLimiter(settings.rateLimit ?? {}, settings.now ?? (() => new Date()));
  const requests: Array<RecordedRequest<Authentication['outcome']>> = [];
  // How long every non-harness answer takes on top of the work: a vendor far away, or a slow one.
  let latencyMs = 0;

  const answer = (request: FakeRequest<Authentication>): FakeHttpResponse => {
    try {
      const intercepted = settings.intercept?.(request, context);
      if (intercepted !== undefined) return intercepted;
      const matched = router.match(request.method, request.url.pathname);
      if (matched.kind === 'none')
        return responses.notFound({ method: request.method, path: request.url.pathname });
      if (matched.kind === 'bad-path') return responses.badPath();
      if (request.body.kind === 'invalid') return responses.invalidBody();
      const { route, path } = matched;
      // The route's own request type: `routeRequest` builds exactly what `handle` takes.
      const handle = route.handle as (routeRequest: RouteRequestOf<Route>) => FakeHttpResponse;
      return handle(settings.routeRequest(request, { route, path }, context));
    } catch (error) {
      if (error instanceof FakeRefusal) return error.response;
      throw error;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const contentType = request.headers['content-type'];
    const body = await parseRequestBody(contentType, await readRawBody(request), {
      forms: settings.forms ?? false,
    });
    const url = URL.canParse(request.url ?? '/', settings.baseUrl)
      ? new URL(request.url ?? '/', settings.baseUrl)
      : undefined;
    const authentication = settings.authenticate(request.headers, context);
    const caller: FakeCaller = request.headers[settings.harnessHeader] === '1' ? 'harness' : 'api';
    const query = url === undefined ? {} : Object.fromEntries(url.searchParams);
    const answerNow = (): FakeHttpResponse =>
      url === undefined
        ? responses.badPath()
        : answer({ method, url, query, headers: request.headers, body, authentication, caller });
    if (caller === 'harness') {
      send(response, answerNow());
      return;
    }
    const recorded: RecordedRequest<Authentication['outcome']> = {
      method,
      path: url?.pathname ?? request.url ?? '',
      query,
      ...(contentType === undefined ? {} : { contentType }),
      headers: flatHeaders(request.headers),
      body: recordedBody(body),
      auth: authentication.outcome,
      receivedAt: new Date(),
      timing: { receivedMs: performance.now() },
    };
    requests.push(recorded);
    const sendRecorded = async (answered: FakeHttpResponse, extraHeaders: Record<string, string> = {}) => {
      recorded.response = recordedResponse(answered);
      // The answer leaves `latencyMs` after the request arrived, however long the fake took to work.
      const wait = recorded.timing.receivedMs + latencyMs - performance.now();
      if (wait > 0) await pause(wait);
      recorded.timing.answeredMs = performance.now();
      if (!response.destroyed) send(response, answered, extraHeaders);
    };
    const fault = faults.next();
    if (fault !== undefined) {
      recorded.fault = fault.kind;
      const outcome = faultOutcome(fault, responses, (retryAfterMs) =>
        rateLimiter.faultHeaders(retryAfterMs),
      );
      switch (outcome.kind) {
        case 'respond':
          await sendRecorded(outcome.response);
          return;
        case 'reset':
          request.socket.resetAndDestroy();
          return;
        case 'hang':
          return;
        case 'answer-late': {
          const answered = answerNow();
          await pause(outcome.delayMs);
          if (!response.destroyed) await sendRecorded(answered);
          return;
        }
        case 'answer-lost':
          recorded.response = recordedResponse(answerNow());
          request.socket.resetAndDestroy();
          return;
      }
    }
    const limit = rateLimiter.take();
    if (limit.exceeded) {
      await sendRecorded(responses.rateLimited(limit.headers));
      return;
    }
    await sendRecorded(answerNow(), limit.headers);
  };

  const listener: RequestListener = (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      send(response, responses.fakeBug(error));
    });
  };

  const latency = {
    /** Every non-harness answer from now on leaves `ms` after its request arrived (0: at once). */
    setLatency(ms: number) {
      if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`latency must be 0 or more ms, got ${ms}`);
      latencyMs = ms;
    },
  };
  return { listener, requests, faults: { ...faults.controls, ...latency } };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveAttachment } from './fake-attachment-routes.js';
import { type AuthOutcome, authenticate, authorizeAccountRequest } from './fake-auth.js';
import type { FakeContext } from './fake-context.js';
import { type FaultQueue, faultOutcome } from './fake-fault-injection.js';
import { chatwootErrors, type FakeHttpResponse, jsonResponse } from './fake-http-response.js';
import type { Params } from './fake-params.js';
import type { createRateLimiter } from './fake-rate-limit.js';
import { type ParsedBody, parseBody, readRawBody, recordedBody } from './fake-request-body.js';
import type { createAccountRouter } from './fake-router.js';

/** A request the fake received from anyone but the harness. */
export interface RecordedRequest {
  method: string;
  /** Without the query. */
  path: string;
  query: Record<string, string>;
  contentType?: string;
  /** Parsed JSON, or for multipart an object of its text fields plus `attachments[]`: `{filename, type, size}`. */
  body: unknown;
  auth: AuthOutcome;
  /** When the whole request had arrived, on this process's monotonic clock (`performance.now()`). */
  receivedAt: number;
  /** What the fake answered, once it has; absent for a reset, a hang or a lost answer. */
  response?: RecordedResponse;
}

/** An answer as the fake sent it, for checks of the answers against the official document. */
export interface RecordedResponse {
  status: number;
  contentType?: string;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: unknown;
}

function recordedResponse(answer: FakeHttpResponse): RecordedResponse {
  const text = typeof answer.body === 'string' ? answer.body : new TextDecoder().decode(answer.body);
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  const contentType = answer.headers['content-type'];
  return { status: answer.status, ...(contentType === undefined ? {} : { contentType }), body };
}

/** Requests with this header come from the harness: never faulted, throttled or recorded. */
export const harnessHeader = 'x-fake-chatwoot-harness';

export interface RequestHandlerSettings {
  context: FakeContext;
  router: ReturnType<typeof createAccountRouter>;
  faults: FaultQueue;
  rateLimiter: ReturnType<typeof createRateLimiter>;
  record: (request: RecordedRequest) => void;
}

function paramsOf(body: ParsedBody, query: Record<string, string>): Params {
  if (body.kind === 'form') return { ...query, ...body.params };
  if (
    body.kind === 'json' &&
    typeof body.value === 'object' &&
    body.value !== null &&
    !Array.isArray(body.value)
  ) {
    return { ...query, ...(body.value as Params) };
  }
  return { ...query };
}

function send(response: ServerResponse, answer: FakeHttpResponse): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

/**
 * The fake's request pipeline, in the order a real deployment runs it: the network (injected
 * faults), rack-attack (the rate limit), the router, then the controller's auth checks and action.
 */
export function createRequestHandler(settings: RequestHandlerSettings) {
  const { context, router } = settings;

  const answer = (
    method: string,
    url: URL,
    body: ParsedBody,
    authentication: ReturnType<typeof authenticate>,
  ): FakeHttpResponse => {
    const attachment = serveAttachment(context, method, url.pathname);
    if (attachment !== undefined) return attachment;
    const matched = router.match(method, url.pathname);
    if (matched === undefined) return chatwootErrors.noRoute();
    if ('badRequest' in matched || body.kind === 'invalid') return chatwootErrors.badRequest();
    if (matched.route.available?.(context.state.behaviours) === false) return chatwootErrors.noRoute();
    const authorized = authorizeAccountRequest(
      context.state,
      context.state.behaviours,
      authentication,
      matched.route.endpoint,
      matched.accountId,
    );
    if ('error' in authorized) return authorized.error;
    const query = Object.fromEntries(url.searchParams);
    return matched.route.handle({
      context,
      owner: authorized.owner,
      path: matched.path,
      params: paramsOf(body, query),
      query,
      files: body.kind === 'form' ? body.files : [],
    });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', context.baseUrl);
    const contentType = request.headers['content-type'];
    const body = await parseBody(contentType, await readRawBody(request));
    const authentication = authenticate(context.state, request.headers);
    if (request.headers[harnessHeader] !== '1') {
      const recorded: RecordedRequest = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        ...(contentType === undefined ? {} : { contentType }),
        body: recordedBody(body),
        auth: authentication.outcome,
        receivedAt: performance.now(),
      };
      settings.record(recorded);
      const sendRecorded = (answered: FakeHttpResponse) => {
        recorded.response = recordedResponse(answered);
        send(response, answered);
      };
      const fault = settings.faults.next();
      if (fault !== undefined) {
        const outcome = faultOutcome(fault);
        if (outcome.kind === 'answer-late') {
          const answered = answer(method, url, body, authentication);
          await new Promise((resolve) => setTimeout(resolve, outcome.delayMs));
          if (!response.destroyed) sendRecorded(answered);
          return;
        }
        if (outcome.kind === 'answer-lost') {
          // Processed, but the answer never arrives: the client cannot know it worked.
          answer(method, url, body, authentication);
          request.socket.resetAndDestroy();
          return;
        }
        if (outcome.kind === 'respond') send(response, outcome.response);
        else if (outcome.kind === 'reset') request.socket.resetAndDestroy();
        // 'hang': never answer; the socket stays open until the client gives up or the fake closes.
        return;
      }
      if (settings.rateLimiter.exceeded()) {
        send(response, chatwootErrors.throttled());
        return;
      }
      sendRecorded(answer(method, url, body, authentication));
      return;
    }
    send(response, answer(method, url, body, authentication));
  };

  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // A bug in the fake, not Chatwoot behaviour: say what broke, like Rails does in development.
      send(
        response,
        jsonResponse(500, {
          status: 500,
          error: 'Internal Server Error',
          exception: error instanceof Error ? error.message : String(error),
        }),
      );
    });
  };
}

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { serveDownload } from './fake-attachments.js';
import { type AuthOutcome, authenticate } from './fake-auth.js';
import type { FakeContext } from './fake-context.js';
import { type FakeFault, type FaultQueue, faultOutcome } from './fake-fault-injection.js';
import { type FakeHttpResponse, intercomErrors, jsonResponse } from './fake-http-response.js';
import type { RateLimiter } from './fake-rate-limit.js';
import { FakeRefusal } from './fake-refusal.js';
import type { FakeCaller, FakeRouter } from './fake-router.js';

/** A request the fake received from anyone but the harness (the shape the OpenAPI checks read). */
export interface RecordedRequest {
  method: string;
  /** Without the query. */
  path: string;
  query: Record<string, string>;
  contentType?: string;
  /** Parsed JSON, or undefined when there was no body or it was not JSON. */
  body: unknown;
  /** `user`: a valid bearer token. */
  auth: AuthOutcome;
  /** Lower-case names; repeated headers joined with ", ". `intercom-version` among them when sent. */
  headers: Record<string, string>;
  /** When the whole request had arrived (wall clock). */
  receivedAt: Date;
  /**
   * What the fake answered, once it has: absent while it is being answered and for a reset or a
   * hang (nothing was answered).
   */
  response?: RecordedResponse;
  /** The injected fault that answered instead of the API, if one did (the answer is the fault's). */
  fault?: FakeFault['kind'];
}

/** An answer as the fake sent it, for the check of the answers against the official document. */
export interface RecordedResponse {
  status: number;
  contentType?: string;
  /** Parsed JSON, the text when the body is not JSON, undefined when there was none. */
  body: unknown;
}

function recordedResponse(answer: FakeHttpResponse): RecordedResponse {
  const text = typeof answer.body === 'string' ? answer.body : new TextDecoder().decode(answer.body);
  let body: unknown = text === '' ? undefined : text;
  try {
    if (text !== '') body = JSON.parse(text);
  } catch {
    // not JSON (a malformed-body fault, a download): kept as text
  }
  const contentType = answer.headers['content-type'];
  return { status: answer.status, ...(contentType === undefined ? {} : { contentType }), body };
}

/** Requests with this header come from the harness: never faulted, throttled or recorded. */
export const harnessHeader = 'x-fake-intercom-harness';

export interface RequestHandlerSettings {
  context: FakeContext;
  router: FakeRouter;
  faults: FaultQueue;
  rateLimiter: RateLimiter;
  record: (request: RecordedRequest) => void;
}

type ParsedBody = { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'invalid' };

async function readRawBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer): ParsedBody {
  if (raw.length === 0) return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { kind: 'invalid' };
  }
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function send(
  response: ServerResponse,
  answer: FakeHttpResponse,
  extraHeaders: Record<string, string> = {},
): void {
  response.writeHead(answer.status, { ...answer.headers, ...extraHeaders });
  response.end(answer.body);
}

/**
 * The fake's request pipeline, in the order a real deployment runs it: the network (injected
 * faults), the rate limit, authentication, the router, then the action.
 */
export function createRequestHandler(settings: RequestHandlerSettings) {
  const { context, router } = settings;

  const answer = (
    method: string,
    url: URL,
    body: ParsedBody,
    auth: AuthOutcome,
    caller: FakeCaller,
  ): FakeHttpResponse => {
    const download = serveDownload(context, method, url.pathname);
    if (download !== undefined) return download;
    // Every API call needs the token, known route or not (facts §8: "Access Token Invalid").
    if (auth !== 'user') return intercomErrors.unauthorized();
    const matched = router.match(method, url.pathname);
    if (matched === undefined) return intercomErrors.notFound();
    if (body.kind === 'invalid') return intercomErrors.invalidJson();
    try {
      return matched.route.handle({
        context,
        caller,
        path: matched.path,
        query: Object.fromEntries(url.searchParams),
        body: body.kind === 'json' ? body.value : undefined,
      });
    } catch (error) {
      if (error instanceof FakeRefusal) return error.response;
      throw error;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', context.baseUrl);
    const body = parseBody(await readRawBody(request));
    const auth = authenticate(request.headers, context.state.accessToken);
    if (request.headers[harnessHeader] === '1') {
      send(response, answer(method, url, body, auth, 'harness'));
      return;
    }
    const contentType = request.headers['content-type'];
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(contentType === undefined ? {} : { contentType }),
      body: body.kind === 'json' ? body.value : undefined,
      auth,
      headers: flatHeaders(request.headers),
      receivedAt: new Date(),
    };
    settings.record(recorded);
    /** Sends an answer and records it on the request. */
    const sendRecorded = (answered: FakeHttpResponse, extraHeaders: Record<string, string> = {}) => {
      recorded.response = recordedResponse(answered);
      send(response, answered, extraHeaders);
    };
    const fault = settings.faults.next();
    if (fault !== undefined) {
      recorded.fault = fault.kind;
      const outcome = faultOutcome(fault, (retryAfterMs) => settings.rateLimiter.faultHeaders(retryAfterMs));
      if (outcome.kind === 'answer-lost') {
        // Processed, but the answer never arrives: the client cannot know it worked.
        recorded.response = recordedResponse(answer(method, url, body, auth, 'api'));
        request.socket.resetAndDestroy();
        return;
      }
      if (outcome.kind === 'respond') sendRecorded(outcome.response);
      else if (outcome.kind === 'reset') request.socket.resetAndDestroy();
      // 'hang': never answer; the socket stays open until the client gives up or the fake closes.
      return;
    }
    const limit = settings.rateLimiter.take();
    if (limit.exceeded) {
      sendRecorded(intercomErrors.rateLimited(limit.headers));
      return;
    }
    sendRecorded(answer(method, url, body, auth, 'api'), limit.headers);
  };

  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // A bug in the fake, not Intercom behaviour: say what broke.
      send(
        response,
        jsonResponse(500, {
          type: 'error.list',
          request_id: null,
          errors: [{ code: 'fake_bug', message: error instanceof Error ? error.message : String(error) }],
        }),
      );
    });
  };
}

/**
 * The record a fake keeps of every request not made by its harness: method, path, query, headers,
 * body, how it authenticated, when it arrived and was answered, the fault it met and the answer.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeHttpResponse } from './fake-http-response.js';
import type { FakeFault } from './fault-queue.js';

/** A request the fake received from anyone but the harness, for checks of what a client sent. */
export interface RecordedRequest<AuthOutcome extends string = string> {
  method: string;
  /** Without the query. */
  path: string;
  query: Record<string, string>;
  contentType?: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON; for a form its text fields and each file field as `[{filename, type, size}]`; undefined when none. */
  body: unknown;
  /** How the request authenticated, in the fake's words (`user`, `none`, `invalid`, ...). */
  auth: AuthOutcome;
  /** When the whole request had arrived (wall clock). */
  receivedAt: Date;
  /** On this process's monotonic clock (`performance.now()`, ms): arrival and, once sent, the answer. */
  timing: { receivedMs: number; answeredMs?: number };
  /** The injected fault this request met, if any (`slow` and `lost_answer` were answered by the routes). */
  fault?: FakeFault['kind'];
  /**
   * What the fake answered, once it has; for `lost_answer` what it would have answered. Absent while
   * being answered, and for a reset or a hang.
   */
  response?: RecordedResponse;
}

/** An answer as the fake sent it, for checks of the answers against the vendor's document. */
export interface RecordedResponse {
  status: number;
  contentType?: string;
  /** Parsed JSON, the text when the body is not JSON, undefined when there was none. */
  body: unknown;
}

export function recordedResponse(answer: FakeHttpResponse): RecordedResponse {
  const text = typeof answer.body === 'string' ? answer.body : new TextDecoder().decode(answer.body);
  let body: unknown = text === '' ? undefined : text;
  try {
    if (text !== '') body = JSON.parse(text);
  } catch {
    // not JSON (a malformed-body fault, an error page, a download): kept as text
  }
  const contentType = answer.headers['content-type'];
  return { status: answer.status, ...(contentType === undefined ? {} : { contentType }), body };
}

/** Headers with one string each: repeated ones joined with ", ". */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

import type { SupportError } from '@handoff/core';
import { type ErrorContext, errorFromResponse, type HttpResponse, parseJsonText } from '@handoff/http';

/** A body as JSON when it is JSON, else the text. */
const parseBody = parseJsonText;

/** `X-RateLimit-Reset` is the Unix second the window resets: how long to wait from `now`. */
function resetDelayMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,12}$/.test(value.trim())) return undefined;
  return Math.max(0, Number(value.trim()) * 1000 - now);
}

/**
 * Maps an Intercom error answer (`{"type":"error.list","errors":[{code,message}]}`) to a
 * SupportError: the status class, and for 429 the wait until `X-RateLimit-Reset` (Intercom sends
 * no Retry-After), else `rateLimitBackoffMs`. 409 (`conflict`, a duplicate contact) stays a
 * conflict; 403 (`api_plan_restricted`) is `unauthorized`.
 */
export function intercomError(
  context: ErrorContext,
  response: HttpResponse,
  settings: { rateLimitBackoffMs: number; now?: () => number },
): SupportError {
  const body = parseBody(response.text);
  if (response.status === 429) {
    const wait = resetDelayMs(response.headers['x-ratelimit-reset'], (settings.now ?? Date.now)());
    return errorFromResponse(context, {
      status: 429,
      body,
      retryAfterMs: wait === undefined || wait === 0 ? settings.rateLimitBackoffMs : wait,
    });
  }
  return errorFromResponse(context, { status: response.status, body });
}

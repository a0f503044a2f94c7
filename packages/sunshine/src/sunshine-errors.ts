import type { SupportError } from '@handoff/core';
import {
  type ErrorContext,
  errorFromResponse,
  type HttpResponse,
  parseJsonText,
  parseRetryAfter,
} from '@handoff/http';

/**
 * Maps an error answer of Sunshine Conversations (`{"errors":[{"code","title"}]}`) or of the
 * Zendesk Support API (`{"error","description"}`) to a SupportError: the status class, and for 429
 * the wait of `Retry-After` when sent, else `rateLimitBackoffMs` (Sunshine Conversations asks for
 * exponential backoff and documents no header). 423 (`locked`: the conversation holds 30,000
 * messages) is a lasting `invalid_request`.
 */
export function sunshineError(
  context: ErrorContext,
  response: HttpResponse,
  settings: { rateLimitBackoffMs: number; now?: (() => number) | undefined },
): SupportError {
  const body = parseJsonText(response.text);
  if (response.status === 429) {
    const header = response.headers['retry-after'];
    const wait = parseRetryAfter(
      Array.isArray(header) ? header[0] : header,
      new Date((settings.now ?? Date.now)()),
    );
    return errorFromResponse(context, {
      status: 429,
      body,
      retryAfterMs: wait === undefined || wait === 0 ? settings.rateLimitBackoffMs : wait,
    });
  }
  if (response.status === 423)
    return errorFromResponse(context, { status: 423, body, code: 'invalid_request' });
  return errorFromResponse(context, { status: response.status, body });
}

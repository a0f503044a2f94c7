import type { SupportError } from '@handoff/core';
import {
  type ErrorContext,
  errorFromResponse,
  type HttpResponse,
  parseJsonText,
  parseRetryAfter,
} from '@handoff/http';

/** Chatwoot's anti-loop guard allows 200 messages per conversation per minute. */
const tooManyMessagesBackoffMs = 30_000;

/**
 * rack-attack counts in fixed windows aligned to the epoch (`(now / period).floor`,
 * `config/initializers/rack_attack.rb` throttles of 1 minute): the next window opens at the next
 * whole minute. A little more, so the retry lands inside it.
 */
function untilNextWindow(now: number): number {
  return 60_000 - (now % 60_000) + 250;
}

/** A body as JSON when it is JSON, else the text. */
const parseBody = parseJsonText;

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Maps a Chatwoot error answer to a SupportError, with the refinements the API needs beyond the
 * status class (`request_exception_handler.rb`, `messages_controller.rb`, rack-attack): a bare `429 Retry later` becomes `rate_limited` with a backoff hint (no
 * Retry-After is ever sent); 422 "Too many messages" is the per-conversation guard, so also
 * `rate_limited`; 422 "has already been taken" is a `conflict`. 401 in all its body forms
 * (`errors: [...]`, `error: "Invalid Access Token"`, the bot and policy refusals) is `unauthorized`.
 */
export function chatwootError(
  context: ErrorContext,
  response: HttpResponse,
  settings: { rateLimitBackoffMs?: number | undefined; now?: () => number },
): SupportError {
  const body = parseBody(response.text);
  const retryAfter = response.headers['retry-after'];
  if (response.status === 429) {
    return errorFromResponse(context, {
      status: 429,
      body,
      retryAfterMs:
        parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined) ??
        settings.rateLimitBackoffMs ??
        untilNextWindow((settings.now ?? Date.now)()),
    });
  }
  if (response.status === 422) {
    if (/too many messages/i.test(field(body, 'error') ?? '')) {
      return errorFromResponse(context, {
        status: 422,
        body,
        code: 'rate_limited',
        retryAfterMs: tooManyMessagesBackoffMs,
      });
    }
    if (/already been taken/i.test(field(body, 'message') ?? '')) {
      return errorFromResponse(context, { status: 422, body, code: 'conflict' });
    }
  }
  return errorFromResponse(context, { status: response.status, body });
}

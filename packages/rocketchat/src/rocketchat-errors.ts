import type { SupportError, SupportErrorCode } from '@handoff/core';
import {
  type ErrorContext,
  errorFromResponse,
  type HttpResponse,
  parseJsonText,
  readHeader,
} from '@handoff/http';

/**
 * The error names Rocket.Chat answers with HTTP 400 (`{success:false, error, errorType}`) when what
 * a call names does not exist: its routes throw `new Error('invalid-room')` and the like, which the
 * REST layer turns into a 400, never a 404.
 */
const notFoundErrors =
  /\b(invalid-token|invalid-room|error-invalid-room|error-room-not-found|error-invalid-visitor|invalid-message|error-invalid-department|department-not-found|error-department-not-found|error-invalid-user|visitor-not-found)\b/;

/** The error names of a room that is already closed. */
export const closedRoomErrors =
  /\b(room-closed|error-room-already-closed|This_conversation_is_already_closed)\b/;

/** What a Rocket.Chat error body says: `error` (and `errorType`), or `message` on a 401. */
export function rocketChatErrorName(body: unknown): string {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' ? body : '';
  const record = body as Record<string, unknown>;
  return [record.errorType, record.error, record.message]
    .filter((part) => typeof part === 'string')
    .join(' ');
}

/**
 * `X-RateLimit-Reset` is the time (ms since the epoch) the window resets; the body says "You must
 * wait N seconds" as well. The wait from `now`, or undefined when neither says.
 */
function rateLimitWaitMs(response: HttpResponse, body: unknown, now: number): number | undefined {
  const reset = readHeader(response.headers, 'x-ratelimit-reset');
  if (reset !== undefined && /^\d{1,16}$/.test(reset.trim())) {
    const value = Number(reset.trim());
    // Milliseconds since the epoch (Rocket.Chat); a value in seconds is read as such.
    const at = value < 1e11 ? value * 1000 : value;
    const wait = at - now;
    if (wait > 0 && wait < 24 * 60 * 60 * 1000) return wait;
  }
  const seconds = /wait (\d{1,6}) seconds/.exec(rocketChatErrorName(body))?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

/**
 * Maps a Rocket.Chat error answer to a SupportError: a 400 naming a missing room, visitor,
 * message or department is `not_found`; one of a closed room is `conflict`; a 429 waits until
 * `X-RateLimit-Reset` (else `rateLimitBackoffMs`); the rest by status.
 */
export function rocketChatError(
  context: ErrorContext,
  response: HttpResponse,
  settings: { rateLimitBackoffMs: number; now: () => number },
): SupportError {
  const body = parseJsonText(response.text);
  if (response.status === 429) {
    const wait = rateLimitWaitMs(response, body, settings.now());
    return errorFromResponse(context, {
      status: 429,
      body,
      retryAfterMs: wait ?? settings.rateLimitBackoffMs,
    });
  }
  let code: SupportErrorCode | undefined;
  if (response.status === 400) {
    const name = rocketChatErrorName(body);
    if (notFoundErrors.test(name)) code = 'not_found';
    else if (closedRoomErrors.test(name)) code = 'conflict';
    // requestRoom refuses a room while nobody is online (Livechat_accept_chats_with_no_agents off):
    // an agent coming online makes the retry succeed.
    else if (/\bno-agent-online\b/.test(name)) code = 'unavailable';
  }
  return errorFromResponse(context, {
    status: response.status,
    body,
    ...(code === undefined ? {} : { code }),
  });
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpProblem } from './http-problem.js';
import { createRateLimiter } from './rate-limiter.js';

export interface ApiToken {
  name: string;
  token: string;
  /** Channels the token may use; undefined: all, and the admin routes. */
  channels?: readonly string[] | undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The token of `Authorization: Bearer <token>`; a 401 saying how to send it when there is none. */
export function bearerTokenOf(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) {
    throw new HttpProblem(401, 'unauthorized', 'send the API token as "Authorization: Bearer <token>"');
  }
  return match[1];
}

/**
 * Checks `Authorization: Bearer <token>` against every configured token in constant time (the
 * digests have the same length, and every token is compared), and the channel it may use.
 */
export function createBearerAuth(
  tokens: readonly ApiToken[],
  settings: {
    rateLimitPerMinute?: number;
    /** The chatbot of the registry a token belongs to, if any: a 403 here, not a 401. */
    chatbotOf?: (token: string) => string | undefined;
  } = {},
) {
  const known = tokens.map((token) => ({ ...token, digest: digest(token.token) }));
  const limiter =
    settings.rateLimitPerMinute === undefined
      ? undefined
      : createRateLimiter({ perMinute: settings.rateLimitPerMinute });
  return {
    authenticate(
      header: string | undefined,
      channelId?: string,
      /** `anyChannel`: a token scoped to some channels passes too (a route of no channel: files). */
      options: { anyChannel?: boolean } = {},
    ): ApiToken {
      const token = bearerTokenOf(header);
      const presented = digest(token);
      let found: (typeof known)[number] | undefined;
      for (const candidate of known) {
        if (timingSafeEqual(candidate.digest, presented) && found === undefined) found = candidate;
      }
      if (found === undefined) {
        const owner = settings.chatbotOf?.(token);
        if (owner !== undefined) {
          throw new HttpProblem(
            403,
            'forbidden',
            `the token is a channel token of chatbot ${owner}; use it under /v1/bots/${owner}/`,
          );
        }
        throw new HttpProblem(401, 'unauthorized', 'the API token is not valid');
      }
      const taken = limiter?.take(found.name);
      if (taken !== undefined && !taken.allowed) {
        throw new HttpProblem(
          429,
          'rate_limited',
          `the token "${found.name}" sent too many requests; retry in ${Math.ceil(taken.retryAfterMs / 1000)} s`,
          undefined,
          {
            'retry-after': String(Math.ceil(taken.retryAfterMs / 1000)),
          },
        );
      }
      const allowed = found.channels;
      if (
        allowed !== undefined &&
        !options.anyChannel &&
        (channelId === undefined || !allowed.includes(channelId))
      ) {
        throw new HttpProblem(
          403,
          'forbidden',
          `the token "${found.name}" may not use ${channelId === undefined ? 'this route' : `channel ${channelId}`}`,
        );
      }
      return found;
    },
  };
}

export type BearerAuth = ReturnType<typeof createBearerAuth>;

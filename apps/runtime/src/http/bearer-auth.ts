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

/**
 * Checks `Authorization: Bearer <token>` against every configured token in constant time (the
 * digests have the same length, and every token is compared), and the channel it may use.
 */
export function createBearerAuth(
  tokens: readonly ApiToken[],
  settings: { rateLimitPerMinute?: number } = {},
) {
  const known = tokens.map((token) => ({ ...token, digest: digest(token.token) }));
  const limiter =
    settings.rateLimitPerMinute === undefined
      ? undefined
      : createRateLimiter({ perMinute: settings.rateLimitPerMinute });
  return {
    authenticate(header: string | undefined, channelId?: string): ApiToken {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
      if (match?.[1] === undefined) {
        throw new HttpProblem(401, 'unauthorized', 'send the API token as "Authorization: Bearer <token>"');
      }
      const presented = digest(match[1]);
      let found: (typeof known)[number] | undefined;
      for (const candidate of known) {
        if (timingSafeEqual(candidate.digest, presented) && found === undefined) found = candidate;
      }
      if (found === undefined) throw new HttpProblem(401, 'unauthorized', 'the API token is not valid');
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
      if (allowed !== undefined && (channelId === undefined || !allowed.includes(channelId))) {
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

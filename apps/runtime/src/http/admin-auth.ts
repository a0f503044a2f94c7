// The admin scope: the admin API takes admin tokens only; a channel token there is forbidden.
import type { ApiToken, BearerAuth } from './bearer-auth.js';
import { createBearerAuth } from './bearer-auth.js';
import { HttpProblem } from './http-problem.js';

/**
 * Checks a request to the admin API: an admin token (`auth.adminTokens`) passes; a channel token
 * of the runtime is a 403 (it is valid, not for this); anything else a 401.
 */
export function createAdminAuth(settings: {
  adminTokens: readonly ApiToken[];
  /** The channel API's tokens, to tell a channel token (403) from an unknown one (401). */
  channelAuth: BearerAuth;
  rateLimitPerMinute?: number;
}) {
  const admin = createBearerAuth(
    settings.adminTokens.map(({ name, token }) => ({ name, token })),
    settings.rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute: settings.rateLimitPerMinute },
  );
  const forbidden = (why: string) =>
    new HttpProblem(403, 'forbidden', `${why}: the admin API takes an admin token (auth.adminTokens)`);
  return {
    authenticate(header: string | undefined): ApiToken {
      try {
        return admin.authenticate(header);
      } catch (error) {
        if (
          !(error instanceof HttpProblem) ||
          error.status !== 401 ||
          !/^Bearer\s+\S+\s*$/i.test(header ?? '')
        )
          throw error;
      }
      let channelToken: ApiToken | undefined;
      try {
        channelToken = settings.channelAuth.authenticate(header);
      } catch (error) {
        if (error instanceof HttpProblem && error.status === 403) throw forbidden('a channel token');
        throw error;
      }
      throw forbidden(`the token "${channelToken.name}" is a channel token`);
    },
  };
}

export type AdminAuth = ReturnType<typeof createAdminAuth>;

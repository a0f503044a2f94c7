import type { IncomingHttpHeaders } from 'node:http';

/** How a request authenticated: a valid bearer token (`user`), none, or a wrong one. */
export type AuthOutcome = 'user' | 'none' | 'invalid';

/** `Authorization: Bearer <token>` (facts §0). Anything else with the header is an invalid token. */
export function authenticate(headers: IncomingHttpHeaders, accessToken: string): { outcome: AuthOutcome } {
  const header = headers.authorization;
  if (header === undefined || header.trim() === '') return { outcome: 'none' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  return { outcome: match?.[1] === accessToken ? 'user' : 'invalid' };
}

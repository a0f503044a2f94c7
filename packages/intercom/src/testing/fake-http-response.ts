import { randomUUID } from 'node:crypto';

/** A response the fake sends: status, headers and the exact body bytes. */
export interface FakeHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): FakeHttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/** Intercom's error body (facts §8): `{"type":"error.list","request_id":…,"errors":[{code,message}]}`. */
export function errorList(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): FakeHttpResponse {
  return jsonResponse(
    status,
    { type: 'error.list', request_id: randomUUID(), errors: [{ code, message }] },
    headers,
  );
}

/**
 * The error answers of the fake. Those the 2.14 spec shows are exact; the others are marked as our
 * inference where they are defined.
 */
export const intercomErrors = {
  unauthorized: () => errorList(401, 'unauthorized', 'Access Token Invalid'),
  /** Unknown conversations (and, our inference, unknown routes). */
  notFound: () => errorList(404, 'not_found', 'Resource Not Found'),
  /** `POST /conversations` with an unknown contact (spec); the other contact lookups are our inference. */
  userNotFound: () => errorList(404, 'not_found', 'User Not Found'),
  teamNotFound: () => errorList(404, 'team_not_found', 'Team not found'),
  adminNotFound: () => errorList(404, 'admin_not_found', 'Admin not found'),
  parameterInvalid: (message: string) => errorList(400, 'parameter_invalid', message),
  parameterNotFound: (message: string) => errorList(400, 'parameter_not_found', message),
  /** A body that is not JSON. The code and message are our inference. */
  invalidJson: () => errorList(400, 'bad_request', 'There was a problem in the JSON you submitted'),
  /** Facts §1, from Intercom's v2.4 reference text and several client code bases. */
  contactConflict: (existingId: string) =>
    errorList(409, 'conflict', `A contact matching those details already exists with id=${existingId}`),
  rateLimited: (headers: Record<string, string>) =>
    errorList(429, 'rate_limit_exceeded', 'Rate limit exceeded', headers),
  /** 5xx bodies are undocumented (facts §8); this one is our inference. */
  serverError: () => errorList(500, 'server_error', 'Server Error'),
};

import { randomUUID } from 'node:crypto';
import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';

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
  /**
   * `POST /conversations` with an unknown contact (spec); `GET /contacts/{id}` of an archived or
   * deleted contact (recorded answers of api.intercom.io, grouparoo's Intercom fixtures); the other
   * contact lookups are our inference.
   */
  userNotFound: () => errorList(404, 'not_found', 'User Not Found'),
  /** Archive or unarchive of an unknown contact (the "Contact not found" example of the 2.6 archive reference page). */
  contactNotFound: () => errorList(404, 'not_found', 'Contact Not Found'),
  teamNotFound: () => errorList(404, 'team_not_found', 'Team not found'),
  adminNotFound: () => errorList(404, 'admin_not_found', 'Admin not found'),
  parameterInvalid: (message: string) => errorList(400, 'parameter_invalid', message),
  parameterNotFound: (message: string) => errorList(400, 'parameter_not_found', message),
  /** A body that is not JSON. The code and message are our inference. */
  invalidJson: () => errorList(400, 'bad_request', 'There was a problem in the JSON you submitted'),
  /** Facts §1, from Intercom's v2.4 reference text and several client code bases. */
  contactConflict: (existingId: string) =>
    errorList(409, 'conflict', `A contact matching those details already exists with id=${existingId}`),
  /**
   * A create that matches an archived or deleted contact (recorded 409s of api.intercom.io, grouparoo's
   * export-record-archive.js and export-record-delete.js; forum.intercom.com "How to unarchive a contact?").
   */
  archivedContactConflict: (existingId: string) =>
    errorList(
      409,
      'conflict',
      `An archived contact matching those details already exists with id=${existingId}`,
    ),
  /** Unarchive of a deleted contact (recorded answer of api.intercom.io, grouparoo's export-record-delete.js). */
  notRestorable: () =>
    errorList(400, 'bad_request', 'User has been marked for permanent deletion and is not restorable.'),
  rateLimited: (headers: Record<string, string>) =>
    errorList(429, 'rate_limit_exceeded', 'Rate limit exceeded', headers),
  /** 5xx bodies are undocumented (facts §8); this one is our inference. */
  serverError: () => errorList(500, 'server_error', 'Server Error'),
};

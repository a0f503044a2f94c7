/**
 * Intercom's answers where the kit's pipeline answers: unknown routes and bad paths (404
 * `not_found`), a body that is not JSON, the rate limit, and each injected fault, all as
 * `error.list` bodies (facts §8).
 */
import { type FakeErrorResponses, jsonResponse } from '@handoff/fake-server';
import { errorList, intercomErrors } from './fake-errors.js';

/** Intercom's error list for a status it answers (`code` as its API reference names them). */
const statusErrors: Record<number, [string, string]> = {
  400: ['parameter_invalid', 'Parameter invalid'],
  403: ['api_plan_restricted', 'Active subscription needed.'],
  404: ['not_found', 'Resource Not Found'],
  409: ['conflict', 'Conflict'],
  422: ['parameter_invalid', 'The request could not be processed'],
  500: ['server_error', 'Server Error'],
  502: ['server_error', 'Bad Gateway'],
  503: ['service_unavailable', 'Service Unavailable'],
  504: ['server_error', 'Gateway Timeout'],
};

export const intercomErrorResponses: FakeErrorResponses = {
  // Unknown routes (our inference), and paths whose segments do not decode.
  notFound: intercomErrors.notFound,
  badPath: intercomErrors.notFound,
  invalidBody: intercomErrors.invalidJson,
  rateLimited: intercomErrors.rateLimited,
  unauthorized: intercomErrors.unauthorized,
  serverError: intercomErrors.serverError,
  status(status) {
    const [code, message] = statusErrors[status] ?? ['server_error', 'Error'];
    return errorList(status, code, message);
  },
  malformedBody: () => ({
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: '{"type":"conversation","id":"501","created_at":17345',
  }),
  // A bug in the fake, not Intercom behaviour: say what broke.
  fakeBug: (error) =>
    jsonResponse(500, {
      type: 'error.list',
      request_id: null,
      errors: [{ code: 'fake_bug', message: error instanceof Error ? error.message : String(error) }],
    }),
};

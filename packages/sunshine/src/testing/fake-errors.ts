import { jsonResponse, refuse } from '@handoff/fake-server';

/**
 * Sunshine Conversations' error answers: `{"errors":[{"code","title"}]}` (spec: info "Errors",
 * schema errorResponse), with the codes and titles of the spec's examples.
 */
export const sunshineErrorBody = (status: number, code: string, title: string) =>
  jsonResponse(status, { errors: [{ code, title }] });

export const sunshineErrors = {
  unauthorized: () => sunshineErrorBody(401, 'unauthorized', 'Authorization is required'),
  forbidden: () => sunshineErrorBody(403, 'forbidden', 'Forbidden'),
  badRequest: (title: string) => sunshineErrorBody(400, 'bad_request', title),
  notFound: (code: string, title: string) => sunshineErrorBody(404, code, title),
  conflict: (title: string) => sunshineErrorBody(409, 'conflict', title),
  tooManyRequests: (headers: Record<string, string> = {}) => ({
    ...sunshineErrorBody(429, 'too_many_requests', 'Too Many Requests'),
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  }),
  locked: () => sunshineErrorBody(423, 'locked', 'Message limit of 30000 per conversation reached.'),
  serverError: () => sunshineErrorBody(500, 'internal_error', 'Internal Error'),
};

/** Refuses with a Sunshine Conversations 400 naming what is wrong. */
export const badRequest = (title: string): never => refuse(sunshineErrors.badRequest(title));

/** The Zendesk Support API's error answers (`{"error": ..., "description": ...}`). */
export const zendeskErrors = {
  unauthorized: () => jsonResponse(401, { error: "Couldn't authenticate you" }),
  notFound: () => jsonResponse(404, { error: 'RecordNotFound', description: 'Not found' }),
  invalid: (description: string) => jsonResponse(422, { error: 'RecordInvalid', description, details: {} }),
};

/** A response the fake sends: status, headers and the exact body bytes. */
export interface FakeHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export function jsonResponse(status: number, value: unknown): FakeHttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    // `undefined` cannot travel as JSON; Rails renders a nil body as `null`.
    body: value === undefined ? 'null' : JSON.stringify(value),
  };
}

/** The error bodies of notes §5, each exactly as Chatwoot renders it. */
export const chatwootErrors = {
  signInRequired: () => jsonResponse(401, { errors: ['You need to sign in or sign up before continuing.'] }),
  invalidAccessToken: () => jsonResponse(401, { error: 'Invalid Access Token' }),
  notForBots: () => jsonResponse(401, { error: 'Access to this endpoint is not authorized for bots' }),
  notInAccount: () => jsonResponse(401, { error: 'You are not authorized to access this account' }),
  notAuthorized: () => jsonResponse(401, { error: 'You are not authorized to do this action' }),
  notFound: () => jsonResponse(404, { error: 'Resource could not be found' }),
  /** A failed model validation (`ActiveRecord::RecordInvalid`). */
  invalidRecord: (problems: ReadonlyArray<{ attribute: string; message: string }>) =>
    jsonResponse(422, {
      message: problems.map((problem) => problem.message).join(', '),
      attributes: [...new Set(problems.map((problem) => problem.attribute))],
    }),
  /** An error a controller renders itself. */
  unprocessable: (text: string) => jsonResponse(422, { error: text }),
  badRequest: () => jsonResponse(400, { status: 400, error: 'Bad Request' }),
  serverError: () => jsonResponse(500, { error: 'Internal Server Error' }),
  /** rack-attack's default throttled answer: no Retry-After, no RateLimit headers (notes §5). */
  throttled: (): FakeHttpResponse => ({
    status: 429,
    headers: { 'content-type': 'text/plain' },
    body: 'Retry later\n',
  }),
};

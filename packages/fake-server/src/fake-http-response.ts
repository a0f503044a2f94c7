/** The answer a fake sends: status, headers and the exact body bytes, and the JSON shorthand. */
export interface FakeHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** A JSON answer (`application/json; charset=utf-8`); `undefined` cannot travel as JSON and is sent as `null`. */
export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): FakeHttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: value === undefined ? 'null' : JSON.stringify(value),
  };
}

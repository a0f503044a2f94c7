/** A failed API call, with the runtime's error code and message (`{ error, message }` bodies). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The fields a 400 names (`{ path, message }`), when it names any. */
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  readonly token: string;
  get<Result>(path: string): Promise<Result>;
  post<Result>(path: string, body?: unknown): Promise<Result>;
  /** A PUT of `body`; `ifMatch` sends the revision read (`If-Match`). */
  put<Result>(path: string, body: unknown, ifMatch?: number): Promise<Result>;
  /** Uploads a file; resolves with the attachment to send with a message. */
  upload(file: File): Promise<Attachment>;
}

export interface Attachment {
  url: string;
  contentType: string;
  name?: string;
  size?: number;
}

/** Calls the runtime's API from the page with the bearer token. */
export function createApiClient(token: string): ApiClient {
  const send = async <Result>(method: string, path: string, init: RequestInit = {}): Promise<Result> => {
    const response = await fetch(path, {
      ...init,
      method,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const problem = body as
        | { error?: string; message?: string; issues?: Array<{ path: string; message: string }> }
        | undefined;
      throw new ApiError(
        response.status,
        problem?.error ?? 'error',
        problem?.message ?? `HTTP ${response.status}`,
        Array.isArray(problem?.issues) ? problem.issues : [],
      );
    }
    return body as Result;
  };
  return {
    token,
    get: (path) => send('GET', path),
    post: (path, body = {}) =>
      send('POST', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    put: (path, body, ifMatch) =>
      send('PUT', path, {
        headers: {
          'content-type': 'application/json',
          ...(ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` }),
        },
        body: JSON.stringify(body),
      }),
    upload: (file) =>
      send('POST', '/v1/files', {
        headers: {
          'content-type': file.type || 'application/octet-stream',
          'x-file-name': encodeURIComponent(file.name),
        },
        body: file,
      }),
  };
}

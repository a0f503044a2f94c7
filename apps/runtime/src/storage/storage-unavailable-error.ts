/**
 * The storage cannot be reached (Redis down or unreachable): nothing was stored, so nothing was
 * accepted. The HTTP layer answers 503 with Retry-After, and readiness fails, until it is back.
 */
export class StorageUnavailableError extends Error {
  readonly code = 'storage_unavailable';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }

  static isInstance(error: unknown): error is StorageUnavailableError {
    return error instanceof Error && error.name === 'StorageUnavailableError';
  }
}

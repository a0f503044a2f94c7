// StorageUnavailableError: what every store throws when its backend cannot be reached.
import { errorBrand, hasBrand } from './error-brand.js';

const storageUnavailableBrand = errorBrand('storage-unavailable-error');

/**
 * The storage cannot be reached (Redis down or unreachable, refusing writes): nothing was stored,
 * so nothing was accepted. Hosts answer 503 with Retry-After, and fail readiness, until it is back.
 */
export class StorageUnavailableError extends Error {
  readonly code = 'storage_unavailable';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
    Object.defineProperty(this, storageUnavailableBrand, { value: true });
  }

  static isInstance(value: unknown): value is StorageUnavailableError {
    return hasBrand(value, storageUnavailableBrand);
  }
}

export function isStorageUnavailableError(value: unknown): value is StorageUnavailableError {
  return StorageUnavailableError.isInstance(value);
}

// SupportError: a support system call failed, with a code that says whether retrying can help.

import { errorBrand, hasBrand } from './error-brand.js';

/**
 * Every failure an adapter reports is one of these codes. Adapters classify; the engine decides
 * whether and when to retry from `retryable` and `retryAfterMs`.
 */
export const supportErrorCodes = [
  'unauthorized',
  'not_found',
  'invalid_request',
  'conflict',
  'rate_limited',
  'unavailable',
  'network',
  'timeout',
  'invalid_response',
  'unsupported',
  'aborted',
] as const;

export type SupportErrorCode = (typeof supportErrorCodes)[number];

const retryableByDefault: Record<SupportErrorCode, boolean> = {
  unauthorized: false,
  not_found: false,
  invalid_request: false,
  conflict: false,
  rate_limited: true,
  unavailable: true,
  network: true,
  timeout: true,
  invalid_response: false,
  unsupported: false,
  aborted: false,
};

export interface SupportErrorSettings {
  code: SupportErrorCode;
  message: string;
  /** Defaults by code: rate limits, 5xx, network failures and timeouts are retryable. */
  retryable?: boolean;
  /** How long the support system asked us to wait, or the adapter's hint when it asked nothing. */
  retryAfterMs?: number;
  /** HTTP status of the vendor response, when there was one. */
  status?: number;
  /** The vendor's response body, for debugging. Never contains credentials. */
  vendorBody?: unknown;
  /** Adapter name, for example `chatwoot`. */
  provider?: string;
  /** Contract operation that failed, for example `transfer`. */
  operation?: string;
  cause?: unknown;
}

const supportErrorBrand = errorBrand('support-error');

export class SupportError extends Error {
  readonly code: SupportErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly vendorBody: unknown;
  readonly provider: string | undefined;
  readonly operation: string | undefined;

  constructor(settings: SupportErrorSettings) {
    super(settings.message, settings.cause === undefined ? undefined : { cause: settings.cause });
    this.name = 'SupportError';
    this.code = settings.code;
    this.retryable = settings.retryable ?? retryableByDefault[settings.code];
    this.retryAfterMs = settings.retryAfterMs;
    this.status = settings.status;
    this.vendorBody = settings.vendorBody;
    this.provider = settings.provider;
    this.operation = settings.operation;
    Object.defineProperty(this, supportErrorBrand, { value: true });
  }

  static isInstance(value: unknown): value is SupportError {
    return hasBrand(value, supportErrorBrand);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      status: this.status,
      provider: this.provider,
      operation: this.operation,
    };
  }
}

export function isSupportError(value: unknown): value is SupportError {
  return SupportError.isInstance(value);
}

export function isRetryableByDefault(code: SupportErrorCode): boolean {
  return retryableByDefault[code];
}

// WebhookVerificationError: a webhook refused (signature, freshness, replay), with its reason.

import { errorBrand, hasBrand } from './error-brand.js';

export const webhookVerificationReasons = [
  'missing_signature',
  'invalid_signature',
  'missing_timestamp',
  'stale_timestamp',
  'replayed_delivery',
  'malformed_body',
] as const;

export type WebhookVerificationReason = (typeof webhookVerificationReasons)[number];

const statusByReason: Record<WebhookVerificationReason, number> = {
  missing_signature: 401,
  invalid_signature: 401,
  missing_timestamp: 401,
  stale_timestamp: 401,
  replayed_delivery: 409,
  malformed_body: 400,
};

const webhookVerificationErrorBrand = errorBrand('webhook-verification-error');

/** A webhook request was refused before any of its content was trusted. */
export class WebhookVerificationError extends Error {
  readonly reason: WebhookVerificationReason;
  /** The HTTP status a receiver should answer with. */
  readonly status: number;
  readonly provider: string | undefined;

  constructor(settings: {
    reason: WebhookVerificationReason;
    message: string;
    provider?: string;
    cause?: unknown;
  }) {
    super(settings.message, settings.cause === undefined ? undefined : { cause: settings.cause });
    this.name = 'WebhookVerificationError';
    this.reason = settings.reason;
    this.status = statusByReason[settings.reason];
    this.provider = settings.provider;
    Object.defineProperty(this, webhookVerificationErrorBrand, { value: true });
  }

  static isInstance(value: unknown): value is WebhookVerificationError {
    return hasBrand(value, webhookVerificationErrorBrand);
  }
}

export function isWebhookVerificationError(value: unknown): value is WebhookVerificationError {
  return WebhookVerificationError.isInstance(value);
}

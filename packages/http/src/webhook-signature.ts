import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from '@handoff/core';

export type SignatureAlgorithm = 'sha1' | 'sha256';

export interface HmacOptions {
  algorithm: SignatureAlgorithm;
  secret: string;
  /** The exact bytes that were signed. */
  payload: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  encoding?: 'hex' | 'base64';
}

/** HMAC of `payload` (pieces are fed in order, so nothing is concatenated in memory). */
export function computeHmac(options: HmacOptions): string {
  const hmac = createHmac(options.algorithm, options.secret);
  const pieces = Array.isArray(options.payload) ? options.payload : [options.payload];
  for (const piece of pieces as ReadonlyArray<string | Uint8Array>) hmac.update(piece);
  return hmac.digest(options.encoding ?? 'hex');
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqualText(expected: string, actual: string): boolean {
  const left = Buffer.from(expected);
  const right = Buffer.from(actual);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface TimestampedSignatureOptions {
  secret: string;
  /** Unix seconds as sent by the system. */
  timestamp: string | undefined;
  /** The raw body. */
  body: string | Uint8Array;
  /** The signature header value, for example `sha256=ab12…`. */
  signature: string | undefined;
  /** Text before the hex digest. Default `sha256=`. */
  prefix?: string;
  algorithm?: SignatureAlgorithm;
  /** Oldest (and furthest in the future) a timestamp may be. Default 300 s. */
  toleranceSeconds?: number;
  /** When the request arrived. Default now. */
  receivedAt?: Date;
  /** Adapter name for the error. */
  provider?: string;
}

/**
 * The scheme Chatwoot and Handoff's own systems use: the signature is `prefix + HMAC(secret,
 * "<timestamp>.<raw body>")`. Throws a WebhookVerificationError naming what is wrong; never
 * reveals the secret or the expected signature.
 */
export function verifyTimestampedSignature(options: TimestampedSignatureOptions): { timestamp: number } {
  const provider = options.provider;
  const fail = (reason: WebhookVerificationError['reason'], message: string): never => {
    throw new WebhookVerificationError(
      provider === undefined ? { reason, message } : { reason, message, provider },
    );
  };
  if (options.signature === undefined || options.signature === '') {
    return fail('missing_signature', 'the request carries no signature');
  }
  if (options.timestamp === undefined || !/^\d{1,12}$/.test(options.timestamp.trim())) {
    return fail('missing_timestamp', 'the request carries no valid timestamp');
  }
  const timestamp = Number(options.timestamp.trim());
  const prefix = options.prefix ?? 'sha256=';
  const expected =
    prefix +
    computeHmac({
      algorithm: options.algorithm ?? 'sha256',
      secret: options.secret,
      payload: [`${options.timestamp.trim()}.`, options.body],
    });
  if (!timingSafeEqualText(expected, options.signature.trim())) {
    return fail('invalid_signature', 'the signature does not match the body');
  }
  const nowSeconds = (options.receivedAt ?? new Date()).getTime() / 1000;
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    return fail('stale_timestamp', `the timestamp is more than ${tolerance} s away from now`);
  }
  return { timestamp };
}

/**
 * The scheme of systems that sign the body alone (Intercom's `X-Hub-Signature: sha1=<hex>`):
 * `prefix + HMAC(secret, raw body)`. Throws a WebhookVerificationError; never reveals the secret
 * or the expected signature.
 */
export function verifyBodySignature(options: {
  secret: string;
  body: string | Uint8Array;
  signature: string | undefined;
  prefix: string;
  algorithm: SignatureAlgorithm;
  provider?: string;
}): void {
  const fail = (reason: WebhookVerificationError['reason'], message: string): never => {
    throw new WebhookVerificationError(
      options.provider === undefined ? { reason, message } : { reason, message, provider: options.provider },
    );
  };
  if (options.signature === undefined || options.signature.trim() === '') {
    fail('missing_signature', 'the request carries no signature');
    return;
  }
  const expected =
    options.prefix +
    computeHmac({ algorithm: options.algorithm, secret: options.secret, payload: options.body });
  if (!timingSafeEqualText(expected, options.signature.trim())) {
    fail('invalid_signature', 'the signature does not match the body');
  }
}

/** Builds the headers value of a timestamped signature (for fakes and in-process systems). */
export function signTimestampedBody(options: {
  secret: string;
  timestamp: number;
  body: string | Uint8Array;
  prefix?: string;
  algorithm?: SignatureAlgorithm;
}): string {
  return (
    (options.prefix ?? 'sha256=') +
    computeHmac({
      algorithm: options.algorithm ?? 'sha256',
      secret: options.secret,
      payload: [`${options.timestamp}.`, options.body],
    })
  );
}

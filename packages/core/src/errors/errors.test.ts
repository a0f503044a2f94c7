import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError, parseConfiguration } from './configuration-error.js';
import { isSupportError, SupportError } from './support-error.js';
import { isWebhookVerificationError, WebhookVerificationError } from './webhook-verification-error.js';

describe('SupportError', () => {
  it('defaults retryable by code', () => {
    const retryable = (code: SupportError['code']) => new SupportError({ code, message: code }).retryable;
    expect(retryable('unauthorized')).toBe(false);
    expect(retryable('not_found')).toBe(false);
    expect(retryable('invalid_request')).toBe(false);
    expect(retryable('invalid_response')).toBe(false);
    expect(retryable('aborted')).toBe(false);
    expect(retryable('rate_limited')).toBe(true);
    expect(retryable('unavailable')).toBe(true);
    expect(retryable('network')).toBe(true);
    expect(retryable('timeout')).toBe(true);
  });

  it('keeps what the vendor said for debugging and the hint for retries', () => {
    const error = new SupportError({
      code: 'rate_limited',
      message: 'Chatwoot throttled the request',
      retryAfterMs: 2_000,
      status: 429,
      vendorBody: 'Retry later\n',
      provider: 'chatwoot',
      operation: 'postMessages',
    });
    expect(error).toMatchObject({
      status: 429,
      retryAfterMs: 2_000,
      vendorBody: 'Retry later\n',
      operation: 'postMessages',
    });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      status: 429,
    });
  });

  it('is recognised across duplicate copies of the package', () => {
    // What a second copy of @handoff/core would create: another class, the same registered brand.
    const foreign = Object.defineProperty(
      new Error('from another copy'),
      Symbol.for('@handoff/core/support-error'),
      {
        value: true,
      },
    );
    expect(isSupportError(foreign)).toBe(true);
    expect(foreign instanceof SupportError).toBe(false);
    expect(isSupportError(new Error('plain'))).toBe(false);
    expect(isSupportError({ code: 'unauthorized' })).toBe(false);
    expect(isSupportError(undefined)).toBe(false);
  });
});

describe('WebhookVerificationError', () => {
  it('tells the receiver which status to answer', () => {
    const status = (reason: WebhookVerificationError['reason']) =>
      new WebhookVerificationError({ reason, message: reason }).status;
    expect(status('invalid_signature')).toBe(401);
    expect(status('stale_timestamp')).toBe(401);
    expect(status('replayed_delivery')).toBe(409);
    expect(status('malformed_body')).toBe(400);
  });

  it('is recognised and distinct from SupportError', () => {
    const error = new WebhookVerificationError({ reason: 'invalid_signature', message: 'bad' });
    expect(isWebhookVerificationError(error)).toBe(true);
    expect(isSupportError(error)).toBe(false);
  });
});

describe('ConfigurationError', () => {
  it('names the offending path of a zod failure', () => {
    const schema = z.object({ support: z.object({ chatwoot: z.object({ accountId: z.number() }) }) });
    const error = (() => {
      try {
        parseConfiguration(
          schema,
          { support: { chatwoot: { accountId: 'one' } } },
          { source: 'runtime.yaml' },
        );
      } catch (caught) {
        return caught;
      }
    })();
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).message).toMatch(
      /^Invalid runtime.yaml: support\.chatwoot\.accountId: /,
    );
    expect((error as ConfigurationError).path).toEqual(['support', 'chatwoot', 'accountId']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  codeForStatus,
  describeVendorBody,
  errorFromResponse,
  errorFromTransportFailure,
} from './error-mapping.js';
import { parseRetryAfter } from './retry-after.js';

const context = { provider: 'acme', operation: 'postMessages' };

describe('error mapping', () => {
  it('maps status classes to codes', () => {
    expect([401, 403, 404, 409, 408, 422, 400, 429, 500, 502, 503, 302].map(codeForStatus)).toEqual([
      'unauthorized',
      'unauthorized',
      'not_found',
      'conflict',
      'timeout',
      'invalid_request',
      'invalid_request',
      'rate_limited',
      'unavailable',
      'unavailable',
      'unavailable',
      'invalid_response',
    ]);
  });

  it('describes the body shapes vendors use', () => {
    expect(describeVendorBody({ error: 'Invalid Access Token' })).toBe('Invalid Access Token');
    expect(describeVendorBody({ errors: ['You need to sign in or sign up before continuing.'] })).toBe(
      'You need to sign in or sign up before continuing.',
    );
    expect(describeVendorBody({ message: 'Email has already been taken', attributes: ['email'] })).toBe(
      'Email has already been taken',
    );
    expect(describeVendorBody('Retry later\n')).toBe('Retry later');
    expect(describeVendorBody({ error: { code: 'x', message: 'nested' } })).toBe('nested');
    expect(describeVendorBody(null)).toBeUndefined();
  });

  it('builds a SupportError that keeps status, body and retry hint', () => {
    const error = errorFromResponse(context, { status: 429, body: 'Retry later\n', retryAfterMs: 1_500 });
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 1_500, status: 429 });
    expect(error.message).toBe('acme postMessages failed: HTTP 429 (Retry later)');
  });

  it('tells an abort, a timeout and a network failure apart', () => {
    const caller = new AbortController();
    caller.abort();
    const timeout = new AbortController();
    timeout.abort();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(errorFromTransportFailure(context, reset, { caller: caller.signal })).toMatchObject({
      code: 'aborted',
      retryable: false,
    });
    expect(errorFromTransportFailure(context, reset, { timeout: timeout.signal })).toMatchObject({
      code: 'timeout',
      retryable: true,
    });
    expect(errorFromTransportFailure(context, reset, {})).toMatchObject({ code: 'network', retryable: true });
    expect(errorFromTransportFailure(context, reset, {}).message).toContain('ECONNRESET');
  });

  it('parses Retry-After as seconds or as a date', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

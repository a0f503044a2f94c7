import { createHmac } from 'node:crypto';
import { WebhookVerificationError } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { signTimestampedBody, verifyBodySignature, verifyTimestampedSignature } from './webhook-signature.js';

const secret = 'whsec-test-secret';
const body = '{"event":"message_created","content":"héllo 👋"}';
const timestamp = 1_781_950_502;
const receivedAt = new Date(timestamp * 1000 + 10_000);

const reasonOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (WebhookVerificationError.isInstance(error)) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('timestamped webhook signatures', () => {
  it('signs exactly "sha256=" + HMAC-SHA256("<timestamp>.<raw body>")', () => {
    const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
    expect(signTimestampedBody({ secret, timestamp, body })).toBe(expected);
  });

  it('accepts a genuine signature over the raw bytes', () => {
    const signature = signTimestampedBody({ secret, timestamp, body: Buffer.from(body) });
    const verify = () =>
      verifyTimestampedSignature({ secret, timestamp: String(timestamp), body, signature, receivedAt });
    expect(reasonOf(verify)).toBe('accepted');
  });

  it('refuses a tampered body, a wrong secret, a missing signature or timestamp, and a stale timestamp', () => {
    const signature = signTimestampedBody({ secret, timestamp, body });
    const base = { secret, timestamp: String(timestamp), body, signature, receivedAt };
    expect(
      reasonOf(() => verifyTimestampedSignature({ ...base, body: body.replace('héllo', 'hello') })),
    ).toBe('invalid_signature');
    expect(reasonOf(() => verifyTimestampedSignature({ ...base, secret: 'other' }))).toBe(
      'invalid_signature',
    );
    expect(reasonOf(() => verifyTimestampedSignature({ ...base, signature: undefined }))).toBe(
      'missing_signature',
    );
    expect(reasonOf(() => verifyTimestampedSignature({ ...base, timestamp: 'yesterday' }))).toBe(
      'missing_timestamp',
    );
    expect(
      reasonOf(() =>
        verifyTimestampedSignature({ ...base, receivedAt: new Date(timestamp * 1000 + 301_000) }),
      ),
    ).toBe('stale_timestamp');
    expect(
      reasonOf(() =>
        verifyTimestampedSignature({ ...base, receivedAt: new Date(timestamp * 1000 - 301_000) }),
      ),
    ).toBe('stale_timestamp');
  });

  it('never puts the secret or the expected signature in the error', () => {
    try {
      verifyTimestampedSignature({
        secret,
        timestamp: String(timestamp),
        body,
        signature: 'sha256=00',
        receivedAt,
      });
    } catch (error) {
      const text = `${(error as Error).message} ${JSON.stringify(error)}`;
      expect(text).not.toContain(secret);
      expect(text).not.toContain(signTimestampedBody({ secret, timestamp, body }).slice(7, 20));
    }
  });
});

describe('verifyBodySignature (body-only schemes such as Intercom)', () => {
  const notification = '{"type":"notification_event"}';
  const signature = `sha1=${createHmac('sha1', 'client-secret').update(notification).digest('hex')}`;
  const verify = (overrides: Partial<Parameters<typeof verifyBodySignature>[0]>) => () =>
    verifyBodySignature({
      secret: 'client-secret',
      body: notification,
      signature,
      prefix: 'sha1=',
      algorithm: 'sha1',
      ...overrides,
    });

  it('accepts the signature of the exact body', () => {
    expect(verify({})).not.toThrow();
  });

  it('refuses a changed body, a wrong key and a missing signature with the reason', () => {
    expect(verify({ body: `${notification} ` })).toThrow(/does not match/);
    expect(verify({ secret: 'another' })).toThrow(/does not match/);
    expect(verify({ signature: undefined })).toThrow(/no signature/);
  });
});

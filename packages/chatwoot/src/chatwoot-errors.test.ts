import { readFileSync } from 'node:fs';
import type { HttpResponse } from '@handoff/http';
import { describe, expect, it } from 'vitest';
import { chatwootError } from './chatwoot-errors.js';

const body = (name: string) =>
  readFileSync(new URL(`../__fixtures__/errors/${name}`, import.meta.url), 'utf8');
const response = (status: number, text: string, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  text,
  bytes: Buffer.from(text),
});
const map = (status: number, file: string, headers: Record<string, string> = {}) =>
  chatwootError({ provider: 'chatwoot', operation: 'postMessages' }, response(status, body(file), headers), {
    rateLimitBackoffMs: 5_000,
  });

describe('Chatwoot error answers', () => {
  const cases: Array<[number, string, string, boolean, string]> = [
    [
      401,
      '401-not-signed-in.json',
      'unauthorized',
      false,
      'You need to sign in or sign up before continuing.',
    ],
    [401, '401-invalid-access-token.json', 'unauthorized', false, 'Invalid Access Token'],
    [
      401,
      '401-bot-endpoint.json',
      'unauthorized',
      false,
      'Access to this endpoint is not authorized for bots',
    ],
    [401, '401-other-account.json', 'unauthorized', false, 'You are not authorized to access this account'],
    [401, '401-account-suspended.json', 'unauthorized', false, 'Account is suspended'],
    [401, '401-policy.json', 'unauthorized', false, 'You are not authorized to do this action'],
    [404, '404-not-found.json', 'not_found', false, 'Resource could not be found'],
    [422, '422-record-invalid.json', 'conflict', false, 'Email has already been taken'],
    [
      422,
      '422-param-missing.json',
      'invalid_request',
      false,
      'param is missing or the value is empty: inbox_id',
    ],
    [
      422,
      '422-incoming-not-api-inbox.json',
      'invalid_request',
      false,
      'Incoming messages are only allowed in Api inboxes',
    ],
    [422, '422-too-many-messages.json', 'rate_limited', true, 'Validation failed: Too many messages'],
    [
      403,
      '403-message-status.json',
      'unauthorized',
      false,
      'Message status update is only allowed for API inboxes',
    ],
    [429, '429-retry-later.txt', 'rate_limited', true, 'Retry later'],
    [502, '502-bad-gateway.html', 'unavailable', true, '502 Bad Gateway'],
  ];
  for (const [status, file, code, retryable, said] of cases) {
    it(`maps ${status} ${file} to ${code}`, () => {
      const error = map(status, file);
      expect([error.code, error.retryable, error.status]).toEqual([code, retryable, status]);
      expect(error.message).toContain(said);
      expect(error.message).toMatch(/^chatwoot postMessages failed: HTTP \d{3}/);
    });
  }

  it('gives a bare 429 (no Retry-After, text/plain) a backoff hint', () => {
    expect(map(429, '429-retry-later.txt').retryAfterMs).toBe(5_000);
  });

  it("by default waits for rack-attack's next window, the next whole minute", () => {
    const at = (now: number) =>
      chatwootError(
        { provider: 'chatwoot', operation: 'postMessages' },
        response(429, body('429-retry-later.txt')),
        { now: () => now },
      ).retryAfterMs;
    expect(at(Date.UTC(2026, 5, 20, 10, 0, 45))).toBe(15_250);
    expect(at(Date.UTC(2026, 5, 20, 10, 0, 0))).toBe(60_250);
  });

  it('honours a Retry-After a proxy in front of Chatwoot may add', () => {
    expect(map(429, '429-retry-later.txt', { 'retry-after': '12' }).retryAfterMs).toBe(12_000);
  });

  it('waits out the per-conversation message guard', () => {
    expect(map(422, '422-too-many-messages.json').retryAfterMs).toBe(30_000);
  });
});

import type { HarnessFault, SupportErrorCode, SupportHarness } from '@handoff/core';

/** A failure the kit makes the system produce, and how every operation must report it. */
export interface FaultRule {
  /** How the report names it, for example `HTTP 422`. */
  name: string;
  fault: HarnessFault;
  codes: readonly SupportErrorCode[];
  /** Whether the error must be retryable; undefined: either. */
  retryable?: boolean;
  /** A hint the error must carry, about this many milliseconds. */
  retryAfterMs?: number;
  /** Why the harness cannot produce it, when it cannot. */
  skipUnless?: (harness: SupportHarness) => string | undefined;
}

const permanent = (status: number, codes: readonly SupportErrorCode[]): FaultRule => ({
  name: `HTTP ${status}`,
  fault: { kind: 'http_status', status },
  codes,
  retryable: false,
});

const passing = (status: number): FaultRule => ({
  name: `HTTP ${status}`,
  fault: { kind: 'http_status', status },
  codes: ['unavailable'],
  retryable: true,
});

/**
 * Every answer the kit checks each operation against. A 4xx that no retry can fix is never
 * retryable; rate limits, 5xx, resets and timeouts are.
 */
export const faultRules: readonly FaultRule[] = [
  permanent(400, ['invalid_request']),
  { name: 'HTTP 401', fault: { kind: 'unauthorized' }, codes: ['unauthorized'], retryable: false },
  permanent(403, ['unauthorized', 'invalid_request', 'unsupported']),
  permanent(404, ['not_found']),
  permanent(409, ['conflict', 'invalid_request']),
  permanent(422, ['invalid_request']),
  {
    name: 'HTTP 429 without a hint',
    fault: { kind: 'rate_limited' },
    codes: ['rate_limited'],
    retryable: true,
  },
  {
    name: 'HTTP 429 asking for 3 s',
    fault: { kind: 'rate_limited', retryAfterMs: 3_000 },
    codes: ['rate_limited'],
    retryable: true,
    retryAfterMs: 3_000,
    skipUnless: (harness) =>
      harness.features?.retryAfterHint ? undefined : 'the system never says how long to wait',
  },
  passing(500),
  passing(502),
  { name: 'a server error', fault: { kind: 'server_error' }, codes: ['unavailable'], retryable: true },
  passing(504),
  { name: 'a connection reset', fault: { kind: 'connection_reset' }, codes: ['network'], retryable: true },
  { name: 'a malformed body', fault: { kind: 'malformed_body' }, codes: ['invalid_response'] },
  { name: 'no answer', fault: { kind: 'timeout' }, codes: ['timeout'], retryable: true },
];

import { inspect, isDeepStrictEqual } from 'node:util';
import { isSupportError, isWebhookVerificationError, type SupportErrorCode } from '@handoff/core';

/** A contract point that does not hold, with what was expected and what happened. */
export class ConformanceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceFailure';
  }
}

const show = (value: unknown) => inspect(value, { depth: 4, breakLength: 120 });

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

export function checkEqual<Value>(actual: unknown, expected: Value, what: string): asserts actual is Value {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new ConformanceFailure(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Awaits `promise`, which must reject with a SupportError of one of `codes`. Returns the error. */
export async function expectSupportError(
  promise: Promise<unknown>,
  codes: readonly SupportErrorCode[],
  what: string,
) {
  let outcome: { resolved: unknown } | { rejected: unknown };
  try {
    outcome = { resolved: await promise };
  } catch (error) {
    outcome = { rejected: error };
  }
  if ('resolved' in outcome) {
    throw new ConformanceFailure(
      `${what}: expected a SupportError ${codes.join(' or ')}, but the call succeeded`,
    );
  }
  const error = outcome.rejected;
  if (!isSupportError(error)) {
    throw new ConformanceFailure(
      `${what}: expected a SupportError ${codes.join(' or ')}, got ${error instanceof Error ? `${error.name}: ${error.message}` : show(error)}`,
    );
  }
  if (!codes.includes(error.code)) {
    throw new ConformanceFailure(
      `${what}: expected code ${codes.join(' or ')}, got ${error.code} (${error.message})`,
    );
  }
  return error;
}

/** Awaits `promise`, which must reject with a WebhookVerificationError. */
export async function expectVerificationError(promise: Promise<unknown>, what: string) {
  try {
    await promise;
  } catch (error) {
    if (isWebhookVerificationError(error)) return error;
    throw new ConformanceFailure(
      `${what}: expected a WebhookVerificationError, got ${error instanceof Error ? `${error.name}: ${error.message}` : show(error)}`,
    );
  }
  throw new ConformanceFailure(`${what}: expected a WebhookVerificationError, but the webhook was accepted`);
}

/** How a call ended: with a value, with an error, or not within the time the kit gave it. */
export type CallOutcome<Value> =
  | { kind: 'resolved'; value: Value; elapsedMs: number }
  | { kind: 'rejected'; error: unknown; elapsedMs: number }
  | { kind: 'hung'; elapsedMs: number };

/** Waits for `promise` at most `deadlineMs`; never throws. */
export async function outcomeOf<Value>(
  promise: Promise<Value>,
  deadlineMs: number,
): Promise<CallOutcome<Value>> {
  const start = performance.now();
  const elapsedMs = () => Math.round(performance.now() - start);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<CallOutcome<Value>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hung', elapsedMs: elapsedMs() }), deadlineMs);
  });
  try {
    return await Promise.race([
      promise.then(
        (value): CallOutcome<Value> => ({ kind: 'resolved', value, elapsedMs: elapsedMs() }),
        (error: unknown): CallOutcome<Value> => ({ kind: 'rejected', error, elapsedMs: elapsedMs() }),
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** One line on what an error is, for failure messages. */
export function describeThrown(error: unknown): string {
  if (isSupportError(error))
    return `SupportError ${error.code} (retryable: ${error.retryable}${error.retryAfterMs === undefined ? '' : `, retryAfterMs: ${error.retryAfterMs}`}): ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return show(error);
}

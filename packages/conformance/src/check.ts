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

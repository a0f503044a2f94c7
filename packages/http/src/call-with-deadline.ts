import { isSupportError } from '@handoff/core';
import { type ErrorContext, errorFromTransportFailure } from './error-mapping.js';

export interface DeadlineOptions {
  /** The caller's signal: aborting it stops the call with a SupportError `aborted`. */
  signal?: AbortSignal | undefined;
  /** The call fails with a SupportError `timeout` after this long. */
  timeoutMs: number;
}

/**
 * Runs one vendor call under the caller's signal and a timeout, and turns any failure without a
 * response into a SupportError (`aborted`, `timeout` or `network`). SupportErrors pass through.
 */
export async function callWithDeadline<Result>(
  context: ErrorContext,
  options: DeadlineOptions,
  call: (signal: AbortSignal) => Promise<Result>,
): Promise<Result> {
  const caller = options.signal;
  if (caller?.aborted) throw errorFromTransportFailure(context, caller.reason, { caller });
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = caller === undefined ? timeout : AbortSignal.any([caller, timeout]);
  try {
    return await call(signal);
  } catch (error) {
    if (isSupportError(error)) throw error;
    throw errorFromTransportFailure(context, error, { caller, timeout });
  }
}

import type { HarnessFault } from '@handoff/core';
import { check, checkEqual, expectSupportError } from '../check.js';
import { type ContractPoint, contractPoint, type PointContext } from '../contract-point.js';
import { elapsedSince, message } from '../point-helpers.js';

const suite = 'error semantics';

/** Injects `fault` for the next call and ensures a new user (a call no cache can answer). */
async function failedCall(
  context: PointContext,
  fault: HarnessFault,
  codes: Parameters<typeof expectSupportError>[1],
) {
  context.harness.injectFault(fault);
  return expectSupportError(
    context.adapter.ensureUser({ user: { id: context.uniqueId('user') } }),
    codes,
    `ensure user under a ${fault.kind} fault`,
  );
}

export const errorSemanticsPoints: ContractPoint[] = [
  contractPoint({
    id: 'errors/unauthorized',
    suite,
    title: 'unauthorized is not retryable',
    async run(context) {
      const error = await failedCall(context, { kind: 'unauthorized' }, ['unauthorized']);
      checkEqual(error.retryable, false, 'retryable');
    },
  }),
  contractPoint({
    id: 'errors/rate-limited',
    suite,
    title: 'a rate limit is retryable',
    async run(context) {
      const error = await failedCall(context, { kind: 'rate_limited' }, ['rate_limited']);
      checkEqual(error.retryable, true, 'retryable');
    },
  }),
  contractPoint({
    id: 'errors/rate-limited-hint',
    suite,
    title: 'a rate limit carries retryAfterMs when the system says how long to wait',
    skipUnless: ({ harness }) =>
      harness.features?.retryAfterHint ? undefined : 'the support system never says how long to wait',
    async run(context) {
      const error = await failedCall(context, { kind: 'rate_limited', retryAfterMs: 3_000 }, [
        'rate_limited',
      ]);
      check(
        error.retryAfterMs !== undefined && error.retryAfterMs >= 2_000 && error.retryAfterMs <= 5_000,
        `retryAfterMs should be about 3000, got ${error.retryAfterMs}`,
      );
    },
  }),
  contractPoint({
    id: 'errors/server-error',
    suite,
    title: 'a 5xx is unavailable and retryable',
    async run(context) {
      const error = await failedCall(context, { kind: 'server_error' }, ['unavailable']);
      checkEqual(error.retryable, true, 'retryable');
    },
  }),
  contractPoint({
    id: 'errors/connection-reset',
    suite,
    title: 'a connection reset is a retryable network error',
    async run(context) {
      const error = await failedCall(context, { kind: 'connection_reset' }, ['network']);
      checkEqual(error.retryable, true, 'retryable');
    },
  }),
  contractPoint({
    id: 'errors/timeout',
    suite,
    title: 'a call without an answer times out, retryable',
    async run(context) {
      const start = performance.now();
      const error = await failedCall(context, { kind: 'timeout' }, ['timeout']);
      checkEqual(error.retryable, true, 'retryable');
      const elapsed = elapsedSince(start);
      check(
        elapsed < context.requestTimeoutMs + 2_000,
        `the call took ${elapsed} ms; the adapter was told to time out after ${context.requestTimeoutMs} ms`,
      );
    },
  }),
  contractPoint({
    id: 'errors/not-found',
    suite,
    title: 'an unknown conversation is not_found',
    async run(context) {
      const conversationId = await context.harness.unknownConversationId();
      const error = await expectSupportError(
        context.adapter.postMessages({
          conversationId,
          messages: [message(context, 'user', 'Anyone there?')],
        }),
        ['not_found'],
        `posting into unknown conversation ${conversationId}`,
      );
      checkEqual(error.retryable, false, 'retryable');
    },
  }),
  contractPoint({
    id: 'errors/malformed-body',
    suite,
    title: 'a malformed response body is invalid_response',
    async run(context) {
      await failedCall(context, { kind: 'malformed_body' }, ['invalid_response']);
    },
  }),
];

import { isSupportError } from '@handoff/core';
import { check, describeThrown, outcomeOf } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { type OperationCase, operationCases } from '../sweeps/operation-cases.js';

const suite = 'abort';

function abortPoint(operationCase: OperationCase): ContractPoint {
  const { operation } = operationCase;
  return contractPoint({
    id: `abort/${operation}`,
    suite,
    title: `${operation}: an aborted signal stops the call with aborted, before it starts (no effect) and in flight`,
    ...(operationCase.skipUnless === undefined ? {} : { skipUnless: operationCase.skipUnless }),
    async run(context) {
      const prepared = await operationCase.prepare(context);
      const problems: string[] = [];

      const before = new AbortController();
      before.abort();
      const early = await outcomeOf(
        prepared.call(context.adapter, { signal: before.signal }),
        context.requestTimeoutMs + 3_000,
      );
      if (early.kind !== 'rejected' || !isSupportError(early.error) || early.error.code !== 'aborted') {
        problems.push(
          `with a signal aborted before the call: expected a SupportError aborted, got ${early.kind === 'rejected' ? describeThrown(early.error) : early.kind === 'resolved' ? 'success' : 'no answer'}`,
        );
      }
      const effect = await prepared.lastEffect();
      if (effect !== undefined) problems.push(`a call aborted before it started had an effect: ${effect}`);

      if (operationCase.callsTheSystem) {
        const adapter = await context.freshAdapter();
        context.harness.injectFault({ kind: 'timeout' });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const limitMs = Math.min(1_000, context.requestTimeoutMs / 2);
        const late = await outcomeOf(
          prepared.call(adapter, { signal: controller.signal }),
          context.requestTimeoutMs + 3_000,
        );
        context.harness.clearFaults?.();
        if (late.kind !== 'rejected' || !isSupportError(late.error) || late.error.code !== 'aborted') {
          problems.push(
            `aborted 50 ms into a call the system does not answer: expected a SupportError aborted, got ${late.kind === 'rejected' ? describeThrown(late.error) : late.kind === 'resolved' ? 'success' : 'no answer'}`,
          );
        } else if (late.elapsedMs > limitMs) {
          problems.push(`aborted 50 ms into the call, it stopped only after ${late.elapsedMs} ms`);
        }
      }
      check(problems.length === 0, problems.map((problem) => `${operation}: ${problem}`).join('\n'));
    },
  });
}

export const abortPoints: ContractPoint[] = operationCases.map(abortPoint);

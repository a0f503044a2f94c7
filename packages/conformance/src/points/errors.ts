import { isSupportError } from '@handoff/core';
import { check, checkEqual, describeThrown, expectSupportError, outcomeOf } from '../check.js';
import { type ContractPoint, contractPoint, type PointContext } from '../contract-point.js';
import { message } from '../point-helpers.js';
import { secretLeak } from '../secret-scan.js';
import { type FaultRule, faultRules } from '../sweeps/fault-rules.js';
import { type OperationCase, operationCases, type PreparedCall } from '../sweeps/operation-cases.js';

const suite = 'errors';

/** Why the outcome of a call under `rule` breaks the contract, or undefined when it holds. */
async function judge(
  context: PointContext,
  prepared: PreparedCall,
  rule: FaultRule,
  outcome: Awaited<ReturnType<typeof outcomeOf>>,
) {
  const limitMs = context.requestTimeoutMs + 2_000;
  if (outcome.kind === 'hung')
    return `no answer after ${outcome.elapsedMs} ms; the adapter was told to time out after ${context.requestTimeoutMs} ms`;
  if (outcome.kind === 'resolved') {
    // A permanent failure the adapter dealt with another way (a 409 on create: look the record
    // up) is fine when the work is really done; a passing failure is the engine's to retry.
    if (rule.retryable === false) {
      const missing = await prepared.effectHolds(outcome.value);
      if (missing === undefined) return undefined;
      return `the call succeeded, but ${missing}: the failure was swallowed`;
    }
    return 'the call succeeded: the failure was swallowed or retried inside the adapter (retrying is the engine’s job)';
  }
  const error = outcome.error;
  if (!isSupportError(error)) return `expected a SupportError, got ${describeThrown(error)}`;
  if (!rule.codes.includes(error.code))
    return `expected code ${rule.codes.join(' or ')}, got ${describeThrown(error)}`;
  if (rule.retryable !== undefined && error.retryable !== rule.retryable)
    return `retryable must be ${rule.retryable}, got ${describeThrown(error)}`;
  if (rule.retryAfterMs !== undefined) {
    const hint = error.retryAfterMs;
    if (hint === undefined || hint < rule.retryAfterMs * 0.66 || hint > rule.retryAfterMs * 1.67)
      return `retryAfterMs must be about ${rule.retryAfterMs}, got ${describeThrown(error)}`;
  }
  if (error.retryAfterMs !== undefined && (!Number.isFinite(error.retryAfterMs) || error.retryAfterMs < 0))
    return `retryAfterMs must be a duration, got ${error.retryAfterMs}`;
  if (rule.fault.kind === 'timeout' && outcome.elapsedMs > limitMs)
    return `it took ${outcome.elapsedMs} ms; the adapter was told to time out after ${context.requestTimeoutMs} ms`;
  const leak = secretLeak(error, context.secrets);
  if (leak !== undefined) return `secrets: ${leak}`;
  return undefined;
}

function errorPoint(operationCase: OperationCase): ContractPoint {
  const { operation } = operationCase;
  return contractPoint({
    id: `errors/${operation}`,
    suite,
    title: `${operation}: each failure of the system is classified (400 to 504, reset, no answer, malformed body), and no error shows a credential`,
    ...(operationCase.skipUnless === undefined ? {} : { skipUnless: operationCase.skipUnless }),
    timeoutMs: 60_000,
    async run(context) {
      const prepared = await operationCase.prepare(context);
      const problems: string[] = [];
      for (const rule of faultRules) {
        if (rule.skipUnless?.(context.harness) !== undefined) continue;
        // A new instance each time: nothing cached answers in the system's place.
        const adapter = await context.freshAdapter();
        context.harness.injectFault(rule.fault);
        const outcome = await outcomeOf(prepared.call(adapter, {}), context.requestTimeoutMs + 3_000);
        context.harness.clearFaults?.();
        const problem = await judge(context, prepared, rule, outcome);
        if (problem !== undefined) problems.push(`${operation} under ${rule.name}: ${problem}`);
      }
      check(problems.length === 0, problems.join('\n'));
    },
  });
}

async function unknownConversation(context: PointContext) {
  return context.harness.unknownConversationId();
}

export const errorPoints: ContractPoint[] = [
  ...operationCases.filter((operationCase) => operationCase.callsTheSystem).map(errorPoint),
  contractPoint({
    id: 'errors/unknown-conversation',
    suite,
    title: 'a conversation the system does not have is not_found, not retryable, for every operation on one',
    async run(context) {
      const conversationId = await unknownConversation(context);
      const teams = await context.harness.teams();
      const calls: Array<[string, () => Promise<unknown>]> = [
        [
          'postMessages',
          () =>
            context.adapter.postMessages({
              conversationId,
              messages: [message(context, 'user', 'Anyone there?')],
            }),
        ],
        ['transfer', () => context.adapter.transfer({ conversationId, team: teams[0]?.id ?? '1' })],
        ['closeSession', () => context.adapter.closeSession({ conversationId })],
      ];
      const sync = context.adapter.syncConversation?.bind(context.adapter);
      if (context.capabilities.catchUp && sync !== undefined)
        calls.push(['syncConversation', () => sync({ conversationId })]);
      for (const [operation, call] of calls) {
        const error = await expectSupportError(
          call(),
          ['not_found'],
          `${operation} on unknown conversation ${conversationId}`,
        );
        checkEqual(error.retryable, false, `${operation}: retryable`);
      }
    },
  }),
];

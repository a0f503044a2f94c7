import fc from 'fast-check';
import { ConformanceFailure } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { withServedFiles } from '../point-helpers.js';
import { describeAction, sequenceActions } from '../sequences/sequence-actions.js';
import { runSequence } from '../sequences/sequence-runner.js';

/** Longest one property run may take, shrinking included, before fast-check stops it. */
const sequenceBudgetMs = 30_000;

export const sequencePoints: ContractPoint[] = [
  contractPoint({
    id: 'sequences/random',
    suite: 'random sequences',
    title:
      'random sequences of posts, transfers, closes, catch-ups, restarts and agent actions (reply, note, typing, assign, resolve, reopen) keep to the model of the contract',
    timeoutMs: sequenceBudgetMs + 30_000,
    async run(context) {
      await withServedFiles(async (fileUrl) => {
        const actions = fc.array(sequenceActions(context.capabilities, context.harness), {
          minLength: 1,
          maxLength: 12,
        });
        const details = await fc.check(
          fc.asyncProperty(actions, async (sequence) => {
            await runSequence(context, sequence, fileUrl);
          }),
          {
            seed: context.seed,
            numRuns: context.propertyRuns,
            interruptAfterTimeLimit: sequenceBudgetMs,
            markInterruptAsFailure: false,
          },
        );
        if (!details.failed) return;
        const sequence = details.counterexample?.[0] ?? [];
        const cause = details.errorInstance;
        throw new ConformanceFailure(
          [
            `a sequence broke the contract: ${cause instanceof Error ? cause.message : String(cause)}`,
            `  shortest sequence found: ${sequence.map(describeAction).join(', ')}`,
            `  replay: seed ${details.seed}, path "${details.counterexamplePath}" (options seed and propertyRuns, or HANDOFF_CONFORMANCE_SEED)`,
          ].join('\n'),
        );
      });
    },
  }),
];

import type { BotHostHarness } from '@handoff/core';
import { describe, it } from 'vitest';
import { botHostPoints } from './bot-host-points.js';
import type { BotHostTarget } from './bot-host-target.js';
import { type RunBotHostOptions, runBotHostPoint } from './run-bot-host-conformance.js';

/**
 * Registers the internal-mode suites with vitest (adapters with capability `internalMode`): one
 * test per point, a fresh backend and adapter for each.
 */
export function describeBotHostAdapter<Harness extends BotHostHarness>(
  options: BotHostTarget<Harness> & RunBotHostOptions,
): void {
  const points = options.points ?? botHostPoints;
  const pointTimeoutMs = options.pointTimeoutMs ?? 20_000;
  describe(`${options.name}: internal mode`, () => {
    for (const suite of [...new Set(points.map((point) => point.suite))]) {
      describe(suite, () => {
        for (const point of points.filter((candidate) => candidate.suite === suite)) {
          it(
            point.title,
            async (context) => {
              const result = await runBotHostPoint(options, point, options);
              if (result.status === 'skipped') {
                context.skip(result.message);
                return;
              }
              if (result.status === 'failed') throw new Error(`${point.id}: ${result.message}`);
            },
            pointTimeoutMs + 5_000,
          );
        }
      });
    }
  });
}

// What adapter authors use to show the kit failing their adapter when it is broken: the ids of
// the points a run failed, and the broken variants every adapter can be bent into.
import {
  type BotHostAdapter,
  type SupportAdapter,
  type SupportHarness,
  WebhookVerificationError,
} from '@handoff/core';
import type { ConformanceTarget } from './conformance-target.js';
import { type RunConformanceOptions, runConformance } from './run-conformance.js';

/** The ids of the points that failed in a run of `only` (prefixes) against the target. */
export async function failedPointIds<Harness extends SupportHarness>(
  target: ConformanceTarget<Harness>,
  only: readonly string[],
  options: Omit<RunConformanceOptions, 'only'> = {},
): Promise<string[]> {
  const report = await runConformance(target, { requestTimeoutMs: 1_000, ...options, only });
  return report.results.filter((result) => result.status === 'failed').map((result) => result.id);
}

/** The adapter, accepting every webhook it should refuse (but replays): a broken verification. */
export function acceptingUnverifiedWebhooks(adapter: SupportAdapter): SupportAdapter {
  return {
    ...adapter,
    async handleWebhook(options) {
      try {
        return await adapter.handleWebhook(options);
      } catch (error) {
        if (!(error instanceof WebhookVerificationError) || error.reason === 'replayed_delivery') throw error;
        return { events: [] };
      }
    },
  };
}

/** The bot host adapter, accepting every webhook it should refuse. */
export function acceptingUnverifiedBotWebhooks(adapter: BotHostAdapter): BotHostAdapter {
  return {
    ...adapter,
    async handleBotWebhook(options) {
      try {
        return await adapter.handleBotWebhook(options);
      } catch (error) {
        if (error instanceof WebhookVerificationError) return { events: [] };
        throw error;
      }
    },
  };
}

/** The adapter, sending every transfer to the first team it lists: a broken routing. */
export function transferringToTheFirstTeam(adapter: SupportAdapter): SupportAdapter {
  return {
    ...adapter,
    async transfer(options) {
      const [first] = await adapter.listTeams();
      return adapter.transfer({ ...options, team: first?.id ?? options.team });
    },
  };
}

/** The adapter, whose close does nothing: the conversation stays open to agents. */
export function closingNothing(adapter: SupportAdapter): SupportAdapter {
  return { ...adapter, async closeSession() {} };
}

import { describe, expect, it } from 'vitest';
import { chatwootScenarioSupport } from './chatwoot-scenario-support.js';
import { expectEveryMessageOnceInOrderToItsUser } from './delivery-expectations.js';
import { intercomScenarioSupport } from './intercom-scenario-support.js';
import { memoryScenarioSupport } from './memory-scenario-support.js';
import { type RestartFigures, runRestartScenario } from './restart-scenario.js';

const scenario = {
  sessions: 6,
  messagesPerSession: 8,
  agentRepliesPerSession: 4,
  killEveryMs: [300, 800] as const,
  minimumKills: 5,
  paceMs: 250,
  seed: 11,
  timeoutMs: 75_000,
};

const report = (figures: RestartFigures) =>
  console.info(
    `${figures.support}: kills ${figures.kills}; messages ${figures.userMessages} user, ${figures.agentMessages} agent; lost ${figures.lost}, duplicated ${figures.duplicated}, reordered ${figures.reordered}, crossed ${figures.crossed}; ${(figures.durationMs / 1000).toFixed(1)} s`,
  );

describe('restarts on every support system (bounded; pnpm test:soak runs the long version)', () => {
  for (const [name, createSupport] of [
    ['the in-process system (the embedded default, on SQLite)', memoryScenarioSupport],
    ['a fake Chatwoot', chatwootScenarioSupport],
    ['a fake Intercom', intercomScenarioSupport],
  ] as const) {
    it(`with ${name}: every acknowledged message exactly once, in order, to the right user, while the runtime is killed with SIGKILL`, async () => {
      const figures = await runRestartScenario(scenario, createSupport);
      report(figures);
      expectEveryMessageOnceInOrderToItsUser(figures);
      expect(figures.kills).toBeGreaterThanOrEqual(5);
    }, 120_000);
  }
});

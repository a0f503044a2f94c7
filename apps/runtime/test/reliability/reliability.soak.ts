import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chatwootScenarioSupport } from './chatwoot-scenario-support.js';
import { formatDeliveryFigures, runDeliveryScenario } from './delivery-scenario.js';
import { intercomScenarioSupport } from './intercom-scenario-support.js';
import { memoryScenarioSupport } from './memory-scenario-support.js';
import { runMultiInstanceScenario } from './multi-instance-scenario.js';
import { runRestartScenario } from './restart-scenario.js';

const results: Record<string, unknown> = {};
const resultsFile = fileURLToPath(new URL('../../../../bench/soak-results.json', import.meta.url));

describe('soak', () => {
  it('1,000 messages across 100 sessions with 30% of calls failing: nothing lost, duplicated or reordered', async () => {
    const figures = await runDeliveryScenario({
      sessions: 100,
      messagesPerSession: 8,
      agentRepliesPerSession: 2,
      faultProbability: 0.3,
      seed: 20_261_121,
      concurrency: 25,
      timeoutMs: 10 * 60_000,
    });
    console.log(`\nFault soak\n${formatDeliveryFigures(figures)}`);
    results.faults = figures;
    writeFileSync(resultsFile, `${JSON.stringify({ at: new Date().toISOString(), ...results }, null, 2)}\n`);
    expect(figures.problems).toEqual([]);
  });

  for (const [name, createSupport] of [
    ['memory', memoryScenarioSupport],
    ['chatwoot', chatwootScenarioSupport],
    ['intercom', intercomScenarioSupport],
  ] as const) {
    it(`${name}: the runtime killed with SIGKILL every second or so under load: every acknowledged message exactly once, in order, to the right user`, async () => {
      const figures = await runRestartScenario(
        {
          sessions: 20,
          messagesPerSession: 40,
          agentRepliesPerSession: 10,
          killEveryMs: [400, 1_000],
          minimumKills: 10,
          paceMs: 150,
          seed: 12,
          timeoutMs: 5 * 60_000,
        },
        createSupport,
      );
      console.log(
        `\nRestart soak (${name})\nkills: ${figures.kills}\nmessages: ${figures.userMessages} user, ${figures.agentMessages} agent\nlost ${figures.lost}, duplicated ${figures.duplicated}, reordered ${figures.reordered}, crossed ${figures.crossed}\nduration: ${(figures.durationMs / 1000).toFixed(1)} s`,
      );
      results[`restarts-${name}`] = figures;
      writeFileSync(
        resultsFile,
        `${JSON.stringify({ at: new Date().toISOString(), ...results }, null, 2)}\n`,
      );
      expect(figures.problems).toEqual([]);
    });
  }

  it('three instances on Redis, one killed and restarted, one killed for good, webhooks to dead instances refused: every agent reply once, in order, before the close', async () => {
    const figures = await runMultiInstanceScenario({
      instances: 3,
      sessions: 30,
      messagesPerSession: 20,
      agentRepliesPerSession: 8,
      killInstance: 1,
      restartInstance: 2,
      killAtProgress: 0.5,
      noticeDeathAfterMs: 2_000,
      webhookFailover: false,
      startSkillFirst: true,
      resolveAfterReplies: true,
      paceMs: 100,
      seed: 51,
      timeoutMs: 5 * 60_000,
    });
    const { runtimeOutput: _output, ...counts } = figures;
    console.log(`\nMulti-instance soak\n${JSON.stringify(counts, null, 2)}`);
    results['multi-instance'] = counts;
    writeFileSync(resultsFile, `${JSON.stringify({ at: new Date().toISOString(), ...results }, null, 2)}\n`);
    expect(figures.problems).toEqual([]);
  });
});

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDeliveryFigures, runDeliveryScenario } from './delivery-scenario.js';
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

  it('the runtime killed with SIGKILL every second or so under load: every acknowledged message exactly once, in order', async () => {
    const figures = await runRestartScenario({
      sessions: 20,
      messagesPerSession: 40,
      agentRepliesPerSession: 10,
      killEveryMs: [400, 1_000],
      paceMs: 150,
      seed: 12,
      timeoutMs: 5 * 60_000,
    });
    console.log(
      `\nRestart soak\nkills: ${figures.kills}\nmessages: ${figures.userMessages} user -> Chatwoot, ${figures.agentMessages} agent sent (${figures.agentMessagesAcknowledged} acknowledged by the runtime, ${figures.recoveredByCatchUp} more recovered by catching up)\nlost ${figures.lost}, duplicated ${figures.duplicated}, reordered ${figures.reordered}\nduration: ${(figures.durationMs / 1000).toFixed(1)} s`,
    );
    results.restarts = figures;
    writeFileSync(resultsFile, `${JSON.stringify({ at: new Date().toISOString(), ...results }, null, 2)}\n`);
    expect(figures.problems).toEqual([]);
  });
});

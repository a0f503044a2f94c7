import { describe, expect, it } from 'vitest';
import { runRestartScenario } from './restart-scenario.js';

describe('restarts (bounded; pnpm test:soak runs the long version)', () => {
  it('delivers every acknowledged message exactly once, in order, while the runtime is killed with SIGKILL', async () => {
    const figures = await runRestartScenario({
      sessions: 6,
      messagesPerSession: 8,
      agentRepliesPerSession: 4,
      killEveryMs: [300, 800],
      paceMs: 250,
      seed: 11,
      timeoutMs: 60_000,
    });
    console.info(
      `kills ${figures.kills}; messages ${figures.userMessages} user, ${figures.agentMessages} agent (${figures.agentMessagesAcknowledged} acknowledged by the runtime, ${figures.recoveredByCatchUp} recovered by catching up); lost ${figures.lost}, duplicated ${figures.duplicated}, reordered ${figures.reordered}; ${(figures.durationMs / 1000).toFixed(1)} s`,
    );
    expect(figures.problems).toEqual([]);
    expect(figures.kills).toBeGreaterThanOrEqual(3);
    expect({ lost: figures.lost, duplicated: figures.duplicated, reordered: figures.reordered }).toEqual({
      lost: 0,
      duplicated: 0,
      reordered: 0,
    });
  }, 90_000);
});

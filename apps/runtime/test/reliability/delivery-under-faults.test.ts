import { describe, expect, it } from 'vitest';
import { formatDeliveryFigures, runDeliveryScenario } from './delivery-scenario.js';

describe('delivery under faults (bounded; pnpm test:soak runs the long version)', () => {
  it('loses, duplicates and reorders nothing with 30% of calls to Chatwoot and the callback failing', async () => {
    const figures = await runDeliveryScenario({
      sessions: 12,
      messagesPerSession: 6,
      agentRepliesPerSession: 3,
      faultProbability: 0.3,
      seed: 20_261_121,
      concurrency: 12,
      timeoutMs: 45_000,
    });
    console.info(formatDeliveryFigures(figures));
    expect(figures.problems).toEqual([]);
    expect({
      lost: figures.lost,
      duplicated: figures.duplicated,
      reordered: figures.reordered,
      parked: figures.parked,
    }).toEqual({
      lost: 0,
      duplicated: 0,
      reordered: 0,
      parked: 0,
    });
    const injected = Object.values(figures.faultsInjected.chatwoot).reduce((sum, count) => sum + count, 0);
    expect(injected).toBeGreaterThan(20);
  }, 60_000);
});

import { createMemoryAdapter } from '@handoff/memory';
import { createMemoryHarness } from '@handoff/memory/testing';
import { describe, expect, it } from 'vitest';
import { brokenAdapters } from './__tests__/broken-adapters.js';
import { contractPoints } from './points/index.js';
import { runConformance } from './run-conformance.js';

const memory = {
  name: 'memory',
  harness: () => createMemoryHarness(),
  createAdapter: (harness: ReturnType<typeof createMemoryHarness>, context: { requestTimeoutMs: number }) =>
    createMemoryAdapter({ system: harness.system, requestTimeoutMs: context.requestTimeoutMs }),
};

const failedIds = (report: Awaited<ReturnType<typeof runConformance>>) =>
  report.results.filter((result) => result.status === 'failed').map((result) => result.id);

// A short call timeout keeps the timeout and abort points quick.
const options = { requestTimeoutMs: 1_000 };

describe.concurrent('the conformance kit', () => {
  it('passes every point against the reference adapter', async () => {
    const report = await runConformance(memory, options);
    expect(
      report.results
        .filter((result) => result.status === 'failed')
        .map((result) => `${result.id}: ${result.message}`),
    ).toEqual([]);
    expect(report.skipped).toBe(0);
    expect(report.passed).toBe(contractPoints.length);
  }, 60_000);

  for (const [bug, broken] of Object.entries(brokenAdapters)) {
    it(`fails exactly the points about the bug, and passes the rest, for an adapter that ${bug}`, async () => {
      const report = await runConformance(
        { name: bug, harness: memory.harness, createAdapter: broken.create },
        options,
      );
      expect(failedIds(report)).toEqual(broken.fails);
      expect(report.passed).toBe(contractPoints.length - broken.fails.length);
    }, 60_000);
  }

  it('names a missing required operation', async () => {
    const report = await runConformance(
      {
        name: 'incomplete',
        harness: memory.harness,
        createAdapter: (harness, context) => {
          const { transfer: _missing, ...rest } = memory.createAdapter(harness, context);
          return rest as unknown as ReturnType<typeof memory.createAdapter>;
        },
      },
      { only: ['operations/'] },
    );
    const failed = report.results.filter((result) => result.status === 'failed');
    expect(failed.map((result) => [result.id, result.message])).toEqual([
      ['operations/transfer', 'the adapter does not implement the required operation transfer'],
    ]);
  });

  it('skips the points of a capability the adapter does not declare, saying why', async () => {
    const report = await runConformance(
      {
        name: 'no typing',
        harness: memory.harness,
        createAdapter: (harness, context) => {
          const adapter = memory.createAdapter(harness, context);
          return { ...adapter, capabilities: { ...adapter.capabilities, agentTyping: false } };
        },
      },
      { only: ['agent-events/typing'] },
    );
    expect(report.results).toMatchObject([
      { status: 'skipped', message: 'the adapter declares agentTyping: false' },
    ]);
  });

  it('fails a point that hangs instead of hanging itself', async () => {
    const report = await runConformance(
      {
        name: 'hanging',
        harness: memory.harness,
        createAdapter: (harness, context) => ({
          ...memory.createAdapter(harness, context),
          listTeams: () => new Promise(() => undefined),
        }),
      },
      { only: ['list-teams/'], pointTimeoutMs: 300 },
    );
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('did not finish within 300 ms'),
    });
  });
});

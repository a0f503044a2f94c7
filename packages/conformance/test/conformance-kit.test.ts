import { describe, expect, it } from 'vitest';
import { contractPoints } from '../src/points/index.js';
import { type ConformanceReport, runConformance } from '../src/run-conformance.js';
import { type BugKind, brokenAdapters } from './broken-adapters/index.js';
import { memoryTarget } from './memory-target.js';

const failedIds = (report: ConformanceReport) =>
  report.results.filter((result) => result.status === 'failed').map((result) => result.id);

// A short call timeout keeps the timeout and abort points quick; a fixed seed keeps the random
// sequences the same from run to run.
const options = { requestTimeoutMs: 1_000, seed: 20_261_203 };

describe.concurrent('the conformance kit', () => {
  it('passes every point against the reference adapter', async () => {
    const report = await runConformance(memoryTarget, options);
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
        { name: bug, harness: memoryTarget.harness, createAdapter: broken.create },
        options,
      );
      // Caught: at least one point names the broken rule, and no other point complains.
      expect(broken.fails.length).toBeGreaterThan(0);
      expect(failedIds(report)).toEqual(broken.fails);
      expect(report.passed).toBe(contractPoints.length - broken.fails.length);
    }, 90_000);
  }

  it('has at least 40 broken variants, four or more of every kind of bug', () => {
    const kinds: BugKind[] = [
      'basics',
      'inputs and nth call',
      'options in combination',
      'several of everything',
      'one operation, not the others',
      'secrets',
      'time',
      'recover',
      'echoes',
      'limits',
    ];
    const variants = Object.values(brokenAdapters);
    expect(variants.length).toBeGreaterThanOrEqual(40);
    for (const kind of kinds)
      expect(variants.filter((variant) => variant.kind === kind).length, kind).toBeGreaterThanOrEqual(4);
  });

  it('names a missing required operation', async () => {
    const report = await runConformance(
      {
        name: 'incomplete',
        harness: memoryTarget.harness,
        createAdapter: async (harness, context) => {
          const { transfer: _missing, ...rest } = await memoryTarget.createAdapter(harness, context);
          return rest as never;
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
        harness: memoryTarget.harness,
        createAdapter: async (harness, context) => {
          const adapter = await memoryTarget.createAdapter(harness, context);
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
        harness: memoryTarget.harness,
        createAdapter: async (harness, context) => ({
          ...(await memoryTarget.createAdapter(harness, context)),
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

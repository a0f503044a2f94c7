import type { SupportHarness } from '@handoff/core';
import { describe, it } from 'vitest';
import type { ConformanceOptions, ConformanceTarget } from './conformance-target.js';
import type { ContractPoint } from './contract-point.js';
import { contractPoints } from './points/index.js';
import { newSeed, type RunConformanceOptions, runContractPoint } from './run-conformance.js';

type SuiteOptions = Pick<
  RunConformanceOptions,
  'pointTimeoutMs' | 'requestTimeoutMs' | 'seed' | 'propertyRuns'
> & {
  /**
   * Run the points of a suite at once (each has its own backend). Default true; the live suites
   * always run one point at a time, so a real instance's rate limits are not tripped.
   */
  concurrent?: boolean;
};

function registerSuites<Harness extends SupportHarness>(
  title: string,
  target: ConformanceTarget<Harness>,
  options: SuiteOptions,
  points: readonly ContractPoint[],
) {
  const pointTimeoutMs = options.pointTimeoutMs ?? 20_000;
  const describeSuite = options.concurrent === false ? describe : describe.concurrent;
  describe(title, () => {
    const suites = [...new Set(points.map((point) => point.suite))];
    for (const suite of suites) {
      describeSuite(suite, () => {
        for (const point of points.filter((candidate) => candidate.suite === suite)) {
          it(
            point.title,
            async (context) => {
              const result = await runContractPoint(target, point, options);
              if (result.status === 'skipped') {
                context.skip(result.message);
                return;
              }
              if (result.status === 'failed') throw new Error(`${point.id}: ${result.message}`);
            },
            (point.timeoutMs ?? pointTimeoutMs) + 5_000,
          );
        }
      });
    }
  });
}

/** The seed of the random sequences: `HANDOFF_CONFORMANCE_SEED`, else a new one. */
function seedFromEnvironment(): number {
  const value = Number(process.env.HANDOFF_CONFORMANCE_SEED);
  return Number.isInteger(value) ? value : newSeed();
}

/**
 * Registers the conformance suites with vitest: one test per contract point, a fresh backend and
 * adapter for each. With `live`, the same suites run against a real instance when its variables
 * are set, and are skipped with a notice otherwise. The random sequences take their seed from
 * `seed`, else `HANDOFF_CONFORMANCE_SEED`, else a new one (a failure prints it).
 */
export function describeSupportAdapter<Harness extends SupportHarness>(
  options: ConformanceOptions<Harness> & SuiteOptions & Pick<RunConformanceOptions, 'points'>,
): void {
  const points = options.points ?? contractPoints;
  const suiteOptions: SuiteOptions = { ...options, seed: options.seed ?? seedFromEnvironment() };
  registerSuites(`${options.name}: support contract`, options, suiteOptions, points);
  const live = options.live;
  if (live === undefined) return;
  const missing = live.variables.filter((name) => !process.env[name]);
  if (missing.length === 0) {
    registerSuites(
      `${live.name}: support contract (live)`,
      live,
      { ...suiteOptions, concurrent: false },
      points,
    );
    return;
  }
  const notice = `live mode skipped for ${live.name}: set ${missing.join(', ')} to run the suites against a real instance`;
  console.info(notice);
  describe(`${live.name}: support contract (live)`, () => {
    it.skip(notice, () => undefined);
  });
}

import type { SupportHarness } from '@handoff/core';
import { describe, it } from 'vitest';
import type { ConformanceOptions, ConformanceTarget } from './conformance-target.js';
import type { ContractPoint } from './contract-point.js';
import { contractPoints } from './points/index.js';
import { type RunConformanceOptions, runContractPoint } from './run-conformance.js';

function registerSuites<Harness extends SupportHarness>(
  title: string,
  target: ConformanceTarget<Harness>,
  options: Pick<RunConformanceOptions, 'pointTimeoutMs' | 'requestTimeoutMs'>,
  points: readonly ContractPoint[],
) {
  const pointTimeoutMs = options.pointTimeoutMs ?? 20_000;
  describe(title, () => {
    const suites = [...new Set(points.map((point) => point.suite))];
    for (const suite of suites) {
      describe(suite, () => {
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
            pointTimeoutMs + 5_000,
          );
        }
      });
    }
  });
}

/**
 * Registers the conformance suites with vitest: one test per contract point, a fresh backend and
 * adapter for each. With `live`, the same suites run against a real instance when its variables
 * are set, and are skipped with a notice otherwise.
 */
export function describeSupportAdapter<Harness extends SupportHarness>(
  options: ConformanceOptions<Harness> &
    Pick<RunConformanceOptions, 'pointTimeoutMs' | 'requestTimeoutMs' | 'points'>,
): void {
  const points = options.points ?? contractPoints;
  registerSuites(`${options.name}: support contract`, options, options, points);
  const live = options.live;
  if (live === undefined) return;
  const missing = live.variables.filter((name) => !process.env[name]);
  if (missing.length === 0) {
    registerSuites(`${live.name}: support contract (live)`, live, options, points);
    return;
  }
  const notice = `live mode skipped for ${live.name}: set ${missing.join(', ')} to run the suites against a real instance`;
  console.info(notice);
  describe(`${live.name}: support contract (live)`, () => {
    it.skip(notice, () => undefined);
  });
}

import { randomUUID } from 'node:crypto';
import type { SupportAdapter, SupportHarness } from '@handoff/core';
import type { ConformanceTarget } from './conformance-target.js';
import type { ContractPoint, PointContext } from './contract-point.js';
import { contractPoints } from './points/index.js';

export type PointStatus = 'passed' | 'failed' | 'skipped';

export interface PointResult {
  id: string;
  suite: string;
  title: string;
  status: PointStatus;
  /** Why it failed, or why it was skipped. */
  message?: string;
  durationMs: number;
}

export interface ConformanceReport {
  target: string;
  results: PointResult[];
  passed: number;
  failed: number;
  skipped: number;
}

export interface RunConformanceOptions {
  /** Only points whose id starts with one of these. */
  only?: readonly string[];
  /** Longest a single point may take. Default 20 s. */
  pointTimeoutMs?: number;
  /** The call timeout given to the adapter. Default 2 s (the timeout and abort points rely on it). */
  requestTimeoutMs?: number;
  /** Told about each result as it comes. */
  onResult?: (result: PointResult) => void;
  points?: readonly ContractPoint[];
}

const defaultRequestTimeoutMs = 2_000;

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.name === 'ConformanceFailure' || error.name === 'AssertionError'
      ? error.message
      : `${error.name}: ${error.message}`;
  }
  return String(error);
}

export async function withTimeout<Result>(
  work: Promise<Result>,
  timeoutMs: number,
  what: string,
): Promise<Result> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one contract point against a fresh backend and adapter. Never throws. */
export async function runContractPoint<Harness extends SupportHarness>(
  target: ConformanceTarget<Harness>,
  point: ContractPoint,
  options: Pick<RunConformanceOptions, 'pointTimeoutMs' | 'requestTimeoutMs'> = {},
): Promise<PointResult> {
  const base = { id: point.id, suite: point.suite, title: point.title };
  const start = performance.now();
  const duration = () => Math.round(performance.now() - start);
  const requestTimeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  let harness: Harness | undefined;
  try {
    harness = await target.harness();
    const backend = harness;
    const adapter: SupportAdapter = await target.createAdapter(backend, { requestTimeoutMs });
    const reason = point.skipUnless?.({ capabilities: adapter.capabilities, harness: backend });
    if (reason !== undefined) return { ...base, status: 'skipped', message: reason, durationMs: duration() };
    const prefix = `conformance-${randomUUID().slice(0, 8)}`;
    let counter = 0;
    const context: PointContext = {
      adapter,
      harness: backend,
      capabilities: adapter.capabilities,
      requestTimeoutMs,
      freshAdapter: async () => target.createAdapter(backend, { requestTimeoutMs }),
      uniqueId: (kind) => `${prefix}-${kind}-${++counter}`,
    };
    await withTimeout(point.run(context), options.pointTimeoutMs ?? 20_000, `"${point.title}"`);
    return { ...base, status: 'passed', durationMs: duration() };
  } catch (error) {
    return { ...base, status: 'failed', message: describeError(error), durationMs: duration() };
  } finally {
    await harness?.close?.().catch(() => undefined);
  }
}

/** Runs every contract point (or those selected) one after the other and reports each. */
export async function runConformance<Harness extends SupportHarness>(
  target: ConformanceTarget<Harness>,
  options: RunConformanceOptions = {},
): Promise<ConformanceReport> {
  const selected = (options.points ?? contractPoints).filter(
    (point) => options.only === undefined || options.only.some((prefix) => point.id.startsWith(prefix)),
  );
  const results: PointResult[] = [];
  for (const point of selected) {
    const result = await runContractPoint(target, point, options);
    results.push(result);
    options.onResult?.(result);
  }
  const count = (status: PointStatus) => results.filter((result) => result.status === status).length;
  return {
    target: target.name,
    results,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

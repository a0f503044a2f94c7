import { randomUUID } from 'node:crypto';
import {
  createMemoryReplayGuard,
  type ReplayGuard,
  type SupportAdapter,
  type SupportHarness,
} from '@handoff/core';
import type { AdapterContext, ConformanceTarget } from './conformance-target.js';
import type { ContractPoint, PointContext } from './contract-point.js';
import { createKitClock, type KitClock } from './kit-clock.js';
import { captureOutput } from './output-capture.js';
import { contractPoints } from './points/index.js';
import { nameSecret, secretIn } from './secret-scan.js';

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
  /** The seed of the random sequences (pass it as `seed` to replay them). */
  seed: number;
}

export interface RunConformanceOptions {
  /** Only points whose id starts with one of these. */
  only?: readonly string[];
  /** Longest a single point may take. Default 20 s. */
  pointTimeoutMs?: number;
  /** The call timeout given to the adapter. Default 2 s (the timeout and abort points rely on it). */
  requestTimeoutMs?: number;
  /** Points run at once, each against its own backend. Default 4. */
  concurrency?: number;
  /** Seed of the random sequences. Default: a new one, printed in the report. */
  seed?: number;
  /** Random sequences the property points run. Default 8. */
  propertyRuns?: number;
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

/** A replay guard on the kit's clock that counts how often it is asked. */
function countingReplayGuard(clock: KitClock): { guard: ReplayGuard; calls: () => number } {
  const inner = createMemoryReplayGuard({ now: clock.now });
  let calls = 0;
  return {
    guard: {
      firstSeen(key, ttlMs) {
        calls += 1;
        return inner.firstSeen(key, ttlMs);
      },
      has(key) {
        calls += 1;
        return inner.has?.(key) ?? Promise.resolve(false);
      },
    },
    calls: () => calls,
  };
}

/** A new seed for the random sequences. */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** Runs one contract point against a fresh backend and adapter. Never throws. */
export async function runContractPoint<Harness extends SupportHarness>(
  target: ConformanceTarget<Harness>,
  point: ContractPoint,
  options: Pick<RunConformanceOptions, 'pointTimeoutMs' | 'requestTimeoutMs' | 'seed' | 'propertyRuns'> = {},
): Promise<PointResult> {
  const base = { id: point.id, suite: point.suite, title: point.title };
  const start = performance.now();
  const duration = () => Math.round(performance.now() - start);
  const requestTimeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  const output = captureOutput();
  let harness: Harness | undefined;
  let secrets: readonly string[] = [];
  try {
    harness = await target.harness();
    const backend = harness;
    secrets = backend.secrets ?? [];
    const clock = createKitClock();
    const first = countingReplayGuard(clock);
    const contextFor = (replayGuard: ReplayGuard, timeoutMs = requestTimeoutMs): AdapterContext => ({
      requestTimeoutMs: timeoutMs,
      replayGuard,
    });
    const adapter: SupportAdapter = await target.createAdapter(backend, contextFor(first.guard));
    const reason = point.skipUnless?.({ capabilities: adapter.capabilities, harness: backend });
    if (reason !== undefined) return { ...base, status: 'skipped', message: reason, durationMs: duration() };
    const prefix = `conformance-${randomUUID().slice(0, 8)}`;
    let counter = 0;
    const context: PointContext = {
      adapter,
      harness: backend,
      capabilities: adapter.capabilities,
      requestTimeoutMs,
      freshAdapter: async (fresh = {}) =>
        target.createAdapter(backend, contextFor(countingReplayGuard(clock).guard, fresh.requestTimeoutMs)),
      uniqueId: (kind) => `${prefix}-${kind}-${++counter}`,
      clock,
      replayGuardCalls: first.calls,
      secrets,
      seed: options.seed ?? newSeed(),
      propertyRuns: options.propertyRuns ?? 8,
    };
    await withTimeout(
      point.run(context),
      point.timeoutMs ?? options.pointTimeoutMs ?? 20_000,
      `"${point.title}"`,
    );
    const leaked = leakedInOutput(output.lines(), secrets);
    if (leaked !== undefined) return { ...base, status: 'failed', message: leaked, durationMs: duration() };
    return { ...base, status: 'passed', durationMs: duration() };
  } catch (error) {
    return { ...base, status: 'failed', message: describeError(error), durationMs: duration() };
  } finally {
    output.stop();
    await harness?.close?.().catch(() => undefined);
  }
}

/** A credential written to the console or a standard stream while the point ran, described. */
function leakedInOutput(lines: readonly string[], secrets: readonly string[]): string | undefined {
  for (const line of lines) {
    const found = secretIn(line, secrets);
    if (found !== undefined) {
      return `secrets: ${nameSecret(secrets, found)} was written to ${line.slice(0, line.indexOf(':'))} (no credential may appear in a log line)`;
    }
  }
  return undefined;
}

/** Runs every contract point (or those selected), a few at once, and reports each in order. */
export async function runConformance<Harness extends SupportHarness>(
  target: ConformanceTarget<Harness>,
  options: RunConformanceOptions = {},
): Promise<ConformanceReport> {
  const selected = (options.points ?? contractPoints).filter(
    (point) => options.only === undefined || options.only.some((prefix) => point.id.startsWith(prefix)),
  );
  const seed = options.seed ?? newSeed();
  const results: PointResult[] = new Array(selected.length);
  let next = 0;
  const worker = async () => {
    while (next < selected.length) {
      const index = next++;
      const point = selected[index] as ContractPoint;
      const result = await runContractPoint(target, point, { ...options, seed });
      results[index] = result;
      options.onResult?.(result);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, selected.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  const count = (status: PointStatus) => results.filter((result) => result.status === status).length;
  return {
    target: target.name,
    results,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    seed,
  };
}

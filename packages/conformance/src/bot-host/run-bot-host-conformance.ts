import { randomUUID } from 'node:crypto';
import { type BotHostEvent, type BotHostHarness, createMemoryReplayGuard } from '@handoff/core';
import { describeError, type PointResult, withTimeout } from '../run-conformance.js';
import type { BotHostPoint, BotHostPointContext } from './bot-host-point.js';
import { botHostPoints } from './bot-host-points.js';
import type { BotHostTarget } from './bot-host-target.js';

export interface RunBotHostOptions {
  /** Longest a single point may take. Default 20 s. */
  pointTimeoutMs?: number;
  /** The call timeout given to the adapter. Default 2 s. */
  requestTimeoutMs?: number;
  points?: readonly BotHostPoint[];
}

/** Runs one internal-mode point against a fresh backend and adapter. Never throws. */
export async function runBotHostPoint<Harness extends BotHostHarness>(
  target: BotHostTarget<Harness>,
  point: BotHostPoint,
  options: RunBotHostOptions = {},
): Promise<PointResult> {
  const base = { id: point.id, suite: point.suite, title: point.title };
  const start = performance.now();
  const duration = () => Math.round(performance.now() - start);
  const requestTimeoutMs = options.requestTimeoutMs ?? 2_000;
  let harness: Harness | undefined;
  try {
    harness = await target.harness();
    const backend = harness;
    const reason = point.skipUnless?.({ harness: backend });
    if (reason !== undefined) return { ...base, status: 'skipped', message: reason, durationMs: duration() };
    const adapter = await target.createAdapter(backend, {
      requestTimeoutMs,
      replayGuard: createMemoryReplayGuard(),
    });
    const prefix = `conformance-${randomUUID().slice(0, 8)}`;
    let counter = 0;
    const context: BotHostPointContext = {
      adapter,
      harness: backend,
      requestTimeoutMs,
      freshAdapter: async () =>
        target.createAdapter(backend, { requestTimeoutMs, replayGuard: createMemoryReplayGuard() }),
      uniqueId: (kind) => `${prefix}-${kind}-${++counter}`,
      async eventsOf(requests) {
        const events: BotHostEvent[] = [];
        for (const request of requests) {
          events.push(
            ...(await adapter.handleBotWebhook({ headers: request.headers, body: request.body })).events,
          );
        }
        return events;
      },
    };
    await withTimeout(point.run(context), options.pointTimeoutMs ?? 20_000, `"${point.title}"`);
    return { ...base, status: 'passed', durationMs: duration() };
  } catch (error) {
    return { ...base, status: 'failed', message: describeError(error), durationMs: duration() };
  } finally {
    await harness?.close?.().catch(() => undefined);
  }
}

/** Runs every internal-mode point one after the other. */
export async function runBotHostConformance<Harness extends BotHostHarness>(
  target: BotHostTarget<Harness>,
  options: RunBotHostOptions = {},
): Promise<PointResult[]> {
  const results: PointResult[] = [];
  for (const point of options.points ?? botHostPoints)
    results.push(await runBotHostPoint(target, point, options));
  return results;
}

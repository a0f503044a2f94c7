import type { SupportAdapter, SupportCapabilities, SupportHarness } from '@handoff/core';
import type { KitClock } from './kit-clock.js';

export interface PointContext {
  adapter: SupportAdapter;
  harness: SupportHarness;
  capabilities: SupportCapabilities;
  /** The adapter's call timeout the kit configured. */
  requestTimeoutMs: number;
  /**
   * A second adapter instance for the same backend (as after a restart: nothing cached, a replay
   * guard of its own).
   */
  freshAdapter(options?: { requestTimeoutMs?: number }): Promise<SupportAdapter>;
  /** An id no other point uses, for users and messages. */
  uniqueId(prefix: string): string;
  /** The kit's clock, which runs the replay guards it hands to adapters. */
  clock: KitClock;
  /** How many times the replay guard of the first adapter instance was asked about a key. */
  replayGuardCalls(): number;
  /** The credentials of the harness (`SupportHarness.secrets`), to search errors for. */
  secrets: readonly string[];
  /** Seed of the random sequences; the same seed replays the same sequences. */
  seed: number;
  /** How many random sequences a property point runs. */
  propertyRuns: number;
}

/** One checkable statement of the contract. */
export interface ContractPoint {
  /** Stable id, `suite-slug/point-slug`. */
  id: string;
  suite: string;
  title: string;
  /** Returns why the point does not apply to this adapter or harness, if it does not. */
  skipUnless?: (subject: {
    capabilities: SupportCapabilities;
    harness: SupportHarness;
  }) => string | undefined;
  /** Longest the point may take, when it needs more than the run's point timeout. */
  timeoutMs?: number;
  run(context: PointContext): Promise<void>;
}

export function contractPoint(point: ContractPoint): ContractPoint {
  return point;
}

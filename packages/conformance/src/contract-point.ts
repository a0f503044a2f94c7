import type { SupportAdapter, SupportCapabilities, SupportHarness } from '@handoff/core';

export interface PointContext {
  adapter: SupportAdapter;
  harness: SupportHarness;
  capabilities: SupportCapabilities;
  /** The adapter's call timeout the kit configured. */
  requestTimeoutMs: number;
  /** A second adapter instance for the same backend (as after a restart: nothing cached). */
  freshAdapter(): Promise<SupportAdapter>;
  /** An id no other point uses, for users and messages. */
  uniqueId(prefix: string): string;
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
  run(context: PointContext): Promise<void>;
}

export function contractPoint(point: ContractPoint): ContractPoint {
  return point;
}

import type { BotHostAdapter, BotHostEvent, BotHostHarness, WebhookRequest } from '@handoff/core';

export interface BotHostPointContext {
  adapter: BotHostAdapter;
  harness: BotHostHarness;
  requestTimeoutMs: number;
  /** A second adapter instance for the same backend (as after a restart: nothing cached). */
  freshAdapter(): Promise<BotHostAdapter>;
  /** An id no other point uses. */
  uniqueId(prefix: string): string;
  /** Every event the adapter makes of these requests, in order. */
  eventsOf(requests: readonly WebhookRequest[]): Promise<BotHostEvent[]>;
}

/** One checkable statement of the internal-mode contract. */
export interface BotHostPoint {
  /** Stable id, `internal-mode/<suite>/<point>`. */
  id: string;
  suite: string;
  title: string;
  /** Returns why the point does not apply to this backend, if it does not. */
  skipUnless?: (subject: { harness: BotHostHarness }) => string | undefined;
  run(context: BotHostPointContext): Promise<void>;
}

export function botHostPoint(point: BotHostPoint): BotHostPoint {
  return point;
}

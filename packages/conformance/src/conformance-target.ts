import type { ReplayGuard, SupportAdapter, SupportHarness } from '@handoff/core';

/** What the kit gives `createAdapter`: settings every adapter must honour for the checks to work. */
export interface AdapterContext {
  /** A call without an answer must fail with a SupportError `timeout` after this long. */
  requestTimeoutMs: number;
  /**
   * Pass this to the adapter as its replay guard. It runs on the kit's clock, so the points can
   * check that a replay window lasts as long as the adapter declares without waiting for it.
   */
  replayGuard: ReplayGuard;
}

/** An adapter under test: a fresh backend (harness) and an adapter talking to it. */
export interface ConformanceTarget<Harness extends SupportHarness = SupportHarness> {
  /** Shown in reports, for example `chatwoot`. */
  name: string;
  /** A fresh backend per contract point (a new fake server, a new in-process system, ...). */
  harness: () => Harness | Promise<Harness>;
  /** An adapter for that backend. Called again when a point needs a second instance (a restart). */
  createAdapter: (harness: Harness, context: AdapterContext) => SupportAdapter | Promise<SupportAdapter>;
}

/** The same target against a real instance, when its credentials are in the environment. */
export interface LiveConformanceTarget<Harness extends SupportHarness = SupportHarness>
  extends ConformanceTarget<Harness> {
  /** Environment variables that must all be set; otherwise live mode is skipped with a notice. */
  variables: string[];
}

export interface ConformanceOptions<
  Harness extends SupportHarness = SupportHarness,
  LiveHarness extends SupportHarness = Harness,
> extends ConformanceTarget<Harness> {
  live?: LiveConformanceTarget<LiveHarness>;
}

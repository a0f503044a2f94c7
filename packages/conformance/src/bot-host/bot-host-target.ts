import type { BotHostAdapter, BotHostHarness } from '@handoff/core';
import type { AdapterContext } from '../conformance-target.js';

/** A bot-hosting adapter under test (internal mode): a fresh backend and an adapter for it. */
export interface BotHostTarget<Harness extends BotHostHarness = BotHostHarness> {
  /** Shown in reports, for example `chatwoot agent bot`. */
  name: string;
  /** A fresh backend per point. */
  harness: () => Harness | Promise<Harness>;
  /** An adapter for that backend; called again when a point needs a second instance (a restart). */
  createAdapter: (harness: Harness, context: AdapterContext) => BotHostAdapter | Promise<BotHostAdapter>;
}

// Deliveries to a support system a chatbot no longer uses: parked with the reason, so they never
// reach the system it uses now (its conversation ids mean nothing there).
import { randomUUID } from 'node:crypto';
import type { Outbox, OutboxItem } from '@handoff/core';

/** Support deliveries (open, post, transfer, close) share lanes named `support:<session>`. */
const isSupportLane = (lane: string) => lane.startsWith('support:');

/**
 * Deliveries waiting this long for a retry are parked too: claims are made as if it were that
 * much later. Were the process to die midway, what it held would wait that long plus the lease;
 * and a delivery another instance still holds (its old engine not stopped yet) is taken from it.
 */
const horizonMs = 3_600_000;

/**
 * Parks every queued support delivery of `outbox` with `reason`, and leaves every other delivery
 * (to the user's channel, timers, support events) queued as it was, when it was due. Resolves
 * with how many were parked. The engine that queued them must be stopped first.
 */
export async function parkSupportDeliveries(outbox: Outbox, reason: string): Promise<number> {
  const owner = `support-integration-change:${randomUUID()}`;
  /** Claimed deliveries of other lanes, held (so they are not claimed again) until the end. */
  const held: OutboxItem[] = [];
  let parked = 0;
  try {
    for (;;) {
      const now = Date.now() + horizonMs;
      const claimed = await outbox.claim({ now, limit: 100, leaseMs: 60_000, owner });
      if (claimed.length === 0) break;
      for (const item of claimed) {
        if (!isSupportLane(item.lane)) {
          held.push(item);
          continue;
        }
        await outbox.park(item.id, owner, { reason, now: Date.now() });
        parked += 1;
      }
    }
  } finally {
    for (const item of held) {
      await outbox.retry(item.id, owner, {
        availableAt: item.availableAt,
        error: item.lastError ?? 'held back while the support integration changed',
      });
    }
  }
  return parked;
}

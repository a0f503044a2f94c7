/** A delivery to make at least once: to the support system or to the user's channel. */
export interface OutboxItem {
  /** Unique and stable: enqueuing an id that is pending or recently delivered has no effect. */
  id: string;
  /** Items of one lane are delivered one at a time, in enqueue order (one lane per conversation). */
  lane: string;
  kind: string;
  payload: unknown;
  /** Failed attempts so far. */
  attempts: number;
  /** Times the item was handed to a worker, this time included: above 1, it may have been delivered before. */
  claims: number;
  /** Epoch ms before which the item is not tried (backoff). */
  availableAt: number;
  createdAt: number;
  lastError?: string;
}

export type NewOutboxItem = Pick<OutboxItem, 'id' | 'lane' | 'kind' | 'payload'> & {
  /** Epoch ms before which the item is not delivered (a timer). Default: at once. */
  availableAt?: number;
};

/** True when an item may have been delivered, wholly or in part, before this claim. */
export function mayHaveBeenDelivered(item: OutboxItem): boolean {
  return item.claims > 1;
}

/** An item that kept failing for a reason retries cannot fix, kept with that reason. */
export interface ParkedOutboxItem extends OutboxItem {
  reason: string;
  parkedAt: number;
}

export interface ClaimOptions {
  now: number;
  /** Most items to claim. */
  limit: number;
  /** How long the claim holds; an unfinished claim is given to someone else after it. */
  leaseMs: number;
  /** Who claims (an instance id), checked when the claim is settled. */
  owner: string;
}

export interface NextClaimOptions {
  now: number;
  leaseMs: number;
}

export interface OutboxCounts {
  /** Waiting for delivery, now or after a retry delay. */
  pending: number;
  /** Timers not yet due (enqueued with a later `availableAt`, never attempted). */
  scheduled: number;
  inFlight: number;
  parked: number;
}

/**
 * Durable, ordered deliveries. `enqueue` resolves only once the items are stored. Only the head of
 * a lane is ever claimed, and only when nobody holds it, so order is kept under retries and across
 * workers.
 */
export interface Outbox {
  /**
   * True when the writes asked for in one event-loop turn commit together (SQLite's group
   * commit): a claim asked for in the same turn as an enqueue joins its commit, so the worker is
   * woken as the write is asked for, not only once it committed.
   */
  readonly groupsCommits?: boolean;
  enqueue(items: readonly NewOutboxItem[], options?: { now?: number }): Promise<void>;
  claim(options: ClaimOptions): Promise<OutboxItem[]>;
  /**
   * Delivered: removes the item and remembers its id for de-duplication. With `claimNext`, the
   * next item of the same lane, when due and unclaimed, is claimed for the same owner in the same
   * step and returned (a busy lane keeps its worker without another claim round).
   */
  complete(
    id: string,
    owner: string,
    options?: { claimNext?: NextClaimOptions },
  ): Promise<OutboxItem | undefined>;
  /**
   * Renews a claim still held by `owner` until `until` (a delivery taking longer than its lease
   * keeps it). Resolves false when the claim is no longer `owner`'s: someone else may deliver it.
   */
  extend(id: string, owner: string, until: number): Promise<boolean>;
  /** Failed, try again later: keeps the item at the head of its lane until `availableAt`. */
  retry(id: string, owner: string, update: { availableAt: number; error: string }): Promise<void>;
  /** Failed for good: moves the item out of its lane so the lane goes on. */
  park(id: string, owner: string, update: { reason: string; now: number }): Promise<void>;
  listParked(options?: { limit?: number }): Promise<ParkedOutboxItem[]>;
  /** Puts a parked item back at the end of its lane. Resolves false when no such parked item exists. */
  requeue(id: string, options?: { now?: number }): Promise<boolean>;
  /** Epoch ms when something claimable becomes due (a retry or an expired claim), if any. */
  nextDueAt(now: number): Promise<number | undefined>;
  counts(options?: { now?: number }): Promise<OutboxCounts>;
}

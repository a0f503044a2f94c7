// An outbox in process memory: ordered lanes, claims with leases, parking, idempotent enqueue.

import type { Outbox, OutboxItem, ParkedOutboxItem } from '../contract/outbox.js';

export interface InMemoryOutboxSettings {
  /** How many delivered ids are remembered to make `enqueue` idempotent. Default 100,000. */
  rememberDelivered?: number;
}

interface Claim {
  owner: string;
  until: number;
}

/** An outbox in process memory: ordered and idempotent, but gone with the process. */
export function createInMemoryOutbox(settings: InMemoryOutboxSettings = {}): Outbox {
  const rememberDelivered = settings.rememberDelivered ?? 100_000;
  const items = new Map<string, OutboxItem>();
  const lanes = new Map<string, string[]>();
  const claims = new Map<string, Claim>();
  const parked = new Map<string, ParkedOutboxItem>();
  const delivered = new Set<string>();

  const removeFromLane = (item: OutboxItem) => {
    const queue = lanes.get(item.lane);
    if (queue === undefined) return;
    const index = queue.indexOf(item.id);
    if (index !== -1) queue.splice(index, 1);
    if (queue.length === 0) lanes.delete(item.lane);
  };
  const settle = (id: string, owner: string): OutboxItem | undefined => {
    const claim = claims.get(id);
    const item = items.get(id);
    if (claim === undefined || claim.owner !== owner || item === undefined) return undefined;
    claims.delete(id);
    return item;
  };
  const append = (item: OutboxItem) => {
    items.set(item.id, item);
    const queue = lanes.get(item.lane);
    if (queue === undefined) lanes.set(item.lane, [item.id]);
    else queue.push(item.id);
  };

  return {
    async enqueue(newItems, options = {}) {
      const now = options.now ?? Date.now();
      for (const newItem of newItems) {
        if (items.has(newItem.id) || parked.has(newItem.id) || delivered.has(newItem.id)) continue;
        const { availableAt, ...rest } = structuredClone(newItem);
        append({ ...rest, attempts: 0, claims: 0, availableAt: availableAt ?? now, createdAt: now });
      }
    },
    async claim({ now, limit, leaseMs, owner }) {
      const claimed: OutboxItem[] = [];
      for (const queue of lanes.values()) {
        if (claimed.length >= limit) break;
        const headId = queue[0];
        if (headId === undefined) continue;
        const head = items.get(headId);
        if (head === undefined || head.availableAt > now) continue;
        const claim = claims.get(headId);
        if (claim !== undefined && claim.until > now) continue;
        claims.set(headId, { owner, until: now + leaseMs });
        head.claims += 1;
        claimed.push(structuredClone(head));
      }
      return claimed;
    },
    async complete(id, owner, options = {}) {
      const item = settle(id, owner);
      if (item === undefined) return undefined;
      items.delete(id);
      removeFromLane(item);
      delivered.add(id);
      if (delivered.size > rememberDelivered) {
        const oldest = delivered.values().next();
        if (!oldest.done) delivered.delete(oldest.value);
      }
      const next = options.claimNext;
      const nextId = lanes.get(item.lane)?.[0];
      const head = nextId === undefined ? undefined : items.get(nextId);
      if (next === undefined || head === undefined || head.availableAt > next.now) return undefined;
      const claim = claims.get(head.id);
      if (claim !== undefined && claim.until > next.now) return undefined;
      claims.set(head.id, { owner, until: next.now + next.leaseMs });
      head.claims += 1;
      return structuredClone(head);
    },
    async extend(id, owner, until) {
      const claim = claims.get(id);
      if (claim === undefined || claim.owner !== owner) return false;
      claim.until = until;
      return true;
    },
    async retry(id, owner, update) {
      const item = settle(id, owner);
      if (item === undefined) return;
      item.attempts += 1;
      item.availableAt = update.availableAt;
      item.lastError = update.error;
    },
    async park(id, owner, update) {
      const item = settle(id, owner);
      if (item === undefined) return;
      items.delete(id);
      removeFromLane(item);
      parked.set(id, { ...item, attempts: item.attempts + 1, reason: update.reason, parkedAt: update.now });
    },
    async listParked(options = {}) {
      return [...parked.values()].slice(0, options.limit ?? 100).map((item) => structuredClone(item));
    },
    async requeue(id, options = {}) {
      const item = parked.get(id);
      if (item === undefined) return false;
      parked.delete(id);
      const { reason: _reason, parkedAt: _parkedAt, ...rest } = item;
      append({ ...rest, attempts: 0, availableAt: options.now ?? Date.now() });
      return true;
    },
    async nextDueAt(now) {
      let due: number | undefined;
      for (const queue of lanes.values()) {
        const headId = queue[0];
        if (headId === undefined) continue;
        const head = items.get(headId);
        if (head === undefined) continue;
        const claim = claims.get(headId);
        const at = claim !== undefined && claim.until > now ? claim.until : head.availableAt;
        if (due === undefined || at < due) due = at;
      }
      return due;
    },
    async counts(options = {}) {
      const now = options.now ?? Date.now();
      let scheduled = 0;
      for (const [id, item] of items) {
        if (!claims.has(id) && item.attempts === 0 && item.availableAt > now) scheduled += 1;
      }
      return {
        pending: items.size - claims.size - scheduled,
        scheduled,
        inFlight: claims.size,
        parked: parked.size,
      };
    },
  };
}

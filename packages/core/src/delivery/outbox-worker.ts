// The delivery loop shared by both engines: claims outbox items, delivers them, retries with
// backoff or parks them, and keeps its claims alive while a delivery runs.

import type { Outbox, OutboxItem } from '../contract/outbox.js';
import { isSupportError } from '../errors/support-error.js';
import { type Backoff, type BackoffSettings, createBackoff } from './backoff.js';

/** What a handler tells the worker besides success: give up on this item now, with a reason. */
export class PermanentDeliveryFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryFailure';
  }
}

export interface OutboxWorkerSettings {
  outbox: Outbox;
  /** Delivers one item; throws to retry (or park, for non-retryable support errors). */
  deliver: (item: OutboxItem, options: { signal: AbortSignal }) => Promise<void>;
  /**
   * Told about every item about to be parked, before it is: for what a crash between the two must
   * not lose. It runs again if the item is tried again, so it must be idempotent. When it throws,
   * the item is not parked: it keeps its claim, and is tried again once the claim runs out.
   */
  onParking?: (item: OutboxItem, reason: string) => Promise<void> | void;
  /** Told about every item parked, after it is parked. */
  onParked?: (item: OutboxItem, reason: string) => Promise<void> | void;
  /** Told about every failed attempt that will be retried. */
  onRetry?: (item: OutboxItem, error: unknown, delayMs: number) => void;
  /**
   * Most deliveries in flight at once. A delivery mostly waits for the support system, and a lane
   * has one delivery in flight at most, so this is how many conversations are served at once, not
   * a CPU budget: with 50 ms answers, 16 would cap a process at 320 messages a second whatever its
   * cores. Default 256.
   */
  concurrency?: number;
  /**
   * How long a claim holds without renewal. The worker renews the claims of deliveries in flight
   * every third of it, so a slow delivery keeps its item while a dead worker's items go to
   * another worker after at most this long. Default 60 s.
   */
  leaseMs?: number;
  /**
   * Looks for claimable items at least this often while idle, for outboxes shared by several
   * processes (another process may enqueue, or die holding claims). Default: only when woken or
   * when something is known to come due.
   */
  idlePollMs?: number;
  /** Attempts before a still-failing item is parked. Default 25. */
  maxAttempts?: number;
  backoff?: BackoffSettings | Backoff;
  /** Identifies this worker's claims. */
  owner?: string;
  now?: () => number;
  /** Reports unexpected failures of the worker itself (the store), which it survives. */
  onError?: (error: unknown) => void;
}

export interface OutboxWorker {
  start(): void;
  /** Stops claiming and waits for deliveries in flight. */
  stop(): Promise<void>;
  /** Wakes the worker: something was enqueued. */
  notify(): void;
  /** Resolves once nothing is pending or in flight (parked items do not count). */
  drain(options?: { timeoutMs?: number }): Promise<void>;
}

function describe(error: unknown): string {
  if (isSupportError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The delivery loop: claims lane heads, delivers them, and settles each one: completed, retried
 * with backoff (honouring `retryAfterMs`), or parked with its reason when retrying cannot help.
 */
export function createOutboxWorker(settings: OutboxWorkerSettings): OutboxWorker {
  const outbox = settings.outbox;
  const concurrency = settings.concurrency ?? 256;
  const leaseMs = settings.leaseMs ?? 60_000;
  const maxAttempts = settings.maxAttempts ?? 25;
  const backoff: Backoff =
    settings.backoff !== undefined && 'delay' in settings.backoff
      ? settings.backoff
      : createBackoff(settings.backoff);
  const owner = settings.owner ?? `worker-${Math.random().toString(36).slice(2, 10)}`;
  const now = settings.now ?? Date.now;
  const maxChain = 8;

  let running = false;
  let looping: Promise<void> | undefined;
  let active = 0;
  let wake: (() => void) | undefined;
  let wakeRequested = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let abort = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const idleWaiters = new Set<() => void>();

  const signalWake = () => {
    wakeRequested = true;
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  const settle = async (item: OutboxItem, error: unknown) => {
    const attempt = item.attempts + 1;
    const permanent =
      error instanceof PermanentDeliveryFailure || (isSupportError(error) && !error.retryable);
    if (permanent || attempt >= maxAttempts) {
      const reason = permanent ? describe(error) : `gave up after ${attempt} attempts: ${describe(error)}`;
      await settings.onParking?.(item, reason);
      await outbox.park(item.id, owner, { reason, now: now() });
      await settings.onParked?.(item, reason);
      return;
    }
    const retryAfterMs = isSupportError(error) ? error.retryAfterMs : undefined;
    const delayMs = backoff.delay(attempt, retryAfterMs);
    settings.onRetry?.(item, error, delayMs);
    await outbox.retry(item.id, owner, { availableAt: now() + delayMs, error: describe(error) });
  };

  /**
   * The claims of the deliveries in flight, renewed together every third of the lease by one
   * timer (not a timer and a combined signal per delivery: those cost more than a fast delivery).
   * A renewal refused (the claim expired and went to another worker) aborts that delivery:
   * someone else has it now. A stop aborts them all.
   */
  const held = new Map<string, { controller: AbortController; lost: boolean }>();
  let renewals: ReturnType<typeof setInterval> | undefined;
  const renewHeld = () => {
    for (const [id, hold] of held) {
      outbox.extend(id, owner, now() + leaseMs).then(
        (renewed) => {
          if (renewed || held.get(id) !== hold) return;
          hold.lost = true;
          hold.controller.abort(new Error(`the claim on ${id} went to another worker`));
        },
        (error: unknown) => settings.onError?.(error),
      );
    }
  };
  const holdLease = (item: OutboxItem) => {
    const hold = { controller: new AbortController(), lost: false };
    if (abort.signal.aborted) hold.controller.abort(abort.signal.reason);
    held.set(item.id, hold);
    if (renewals === undefined) {
      renewals = setInterval(renewHeld, Math.max(1, Math.floor(leaseMs / 3)));
      renewals.unref?.();
    }
    return {
      signal: hold.controller.signal,
      /** Why the delivery was cut short by the worker itself, if it was: stopped, or the claim lost. */
      cutShort: (): 'stopped' | 'claim-lost' | undefined =>
        hold.lost ? 'claim-lost' : abort.signal.aborted ? 'stopped' : undefined,
      release: () => {
        if (held.get(item.id) === hold) held.delete(item.id);
        if (held.size === 0 && renewals !== undefined) {
          clearInterval(renewals);
          renewals = undefined;
        }
      },
    };
  };

  /**
   * A delivery the worker itself cut short is no failure of the delivery: a stop hands the item
   * back for the next start (its next attempt is a recovery, as after a crash), and a lost claim
   * leaves it to the worker that holds it now. Neither parks it or spends an attempt on backoff.
   */
  const handBack = async (item: OutboxItem, why: 'stopped' | 'claim-lost') => {
    if (why === 'claim-lost') return;
    await outbox.retry(item.id, owner, {
      availableAt: now(),
      error: 'the delivery worker stopped during the delivery',
    });
  };

  /**
   * Delivers an item, then the next ones of its lane as long as they are due (claimed with each
   * completion, so a busy lane needs no claim round), up to `maxChain` before the slot goes back
   * to the pool: other lanes get their turn.
   */
  const run = async (first: OutboxItem) => {
    let item: OutboxItem | undefined = first;
    for (let chained = 0; item !== undefined; chained += 1) {
      const current: OutboxItem = item;
      item = undefined;
      const lease = holdLease(current);
      try {
        await settings.deliver(current, { signal: lease.signal });
        lease.release();
        const claimNext = running && chained < maxChain ? { now: now(), leaseMs } : undefined;
        item = await outbox.complete(current.id, owner, claimNext === undefined ? undefined : { claimNext });
      } catch (error) {
        lease.release();
        const cutShort = lease.cutShort();
        if (cutShort === undefined) await settle(current, error);
        else await handBack(current, cutShort);
      }
    }
  };

  const checkIdle = async () => {
    if (idleWaiters.size === 0 || active > 0) return;
    const counts = await outbox.counts();
    if (counts.pending + counts.inFlight > 0 || active > 0) return;
    for (const resolve of idleWaiters) resolve();
    idleWaiters.clear();
  };

  const loop = async () => {
    while (running) {
      wakeRequested = false;
      let claimed: OutboxItem[] = [];
      try {
        if (active < concurrency) {
          claimed = await outbox.claim({ now: now(), limit: concurrency - active, leaseMs, owner });
        }
      } catch (error) {
        settings.onError?.(error);
      }
      for (const item of claimed) {
        active += 1;
        const delivery = run(item)
          .catch((error: unknown) => settings.onError?.(error))
          .finally(() => {
            active -= 1;
            inFlight.delete(delivery);
            signalWake();
          });
        inFlight.add(delivery);
      }
      if (claimed.length > 0) continue;
      await checkIdle().catch((error: unknown) => settings.onError?.(error));
      if (!running) break;
      const knownDueAt = await outbox.nextDueAt(now()).catch(() => undefined);
      if (wakeRequested || !running) continue;
      const pollAt = settings.idlePollMs === undefined ? undefined : now() + settings.idlePollMs;
      const dueAt =
        knownDueAt === undefined || pollAt === undefined
          ? (knownDueAt ?? pollAt)
          : Math.min(knownDueAt, pollAt);
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (dueAt !== undefined) timer = setTimeout(signalWake, Math.max(0, dueAt - now()));
      });
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      // No waiting for the next turn: woken as a write goes to the store, the claim joins that
      // write's commit where the store groups the writes of a turn (SQLite).
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      if (abort.signal.aborted) abort = new AbortController();
      looping = loop();
    },
    async stop() {
      running = false;
      const stopped = new Error('outbox worker stopped');
      abort.abort(stopped);
      for (const hold of held.values()) hold.controller.abort(stopped);
      signalWake();
      await looping;
      await Promise.allSettled([...inFlight]);
    },
    notify: signalWake,
    drain(options = {}) {
      const timeoutMs = options.timeoutMs ?? 10_000;
      return new Promise<void>((resolve, reject) => {
        const timeout = setTimeout(() => {
          idleWaiters.delete(done);
          reject(new Error(`outbox did not drain within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timeout);
          resolve();
        };
        idleWaiters.add(done);
        signalWake();
      });
    },
  };
}

import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxItem } from '../contract/outbox.js';
import { SupportError } from '../errors/support-error.js';
import { createInMemoryOutbox } from './in-memory-outbox.js';
import { createOutboxWorker, type OutboxWorker, PermanentDeliveryFailure } from './outbox-worker.js';

const workers: OutboxWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});

function start(deliver: (item: OutboxItem) => Promise<void>, settings: { maxAttempts?: number } = {}) {
  const outbox = createInMemoryOutbox();
  const parked: Array<[string, string]> = [];
  const worker = createOutboxWorker({
    outbox,
    deliver,
    onParked: (item, reason) => {
      parked.push([item.id, reason]);
    },
    backoff: { initialDelayMs: 1, maxDelayMs: 10 },
    ...settings,
  });
  workers.push(worker);
  worker.start();
  const enqueue = async (...ids: Array<[string, string]>) => {
    await outbox.enqueue(ids.map(([id, lane]) => ({ id, lane, kind: 'test', payload: null })));
    worker.notify();
  };
  return { outbox, worker, parked, enqueue };
}

describe('outbox worker', () => {
  it('delivers each lane in order while lanes proceed independently', async () => {
    const delivered: string[] = [];
    const failures = new Map([['a1', 2]]);
    const { worker, enqueue } = start(async (item) => {
      const left = failures.get(item.id) ?? 0;
      if (left > 0) {
        failures.set(item.id, left - 1);
        throw new SupportError({ code: 'unavailable', message: 'down' });
      }
      delivered.push(item.id);
    });
    await enqueue(['a1', 'a'], ['a2', 'a'], ['b1', 'b'], ['a3', 'a'], ['b2', 'b']);
    await worker.drain();
    expect(delivered.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(delivered.filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(delivered.indexOf('b1')).toBeLessThan(delivered.indexOf('a1'));
  });

  it('parks non-retryable failures at once, with the reason', async () => {
    let attempts = 0;
    const { worker, parked, enqueue } = start(async () => {
      attempts += 1;
      throw new SupportError({ code: 'unauthorized', message: 'Invalid Access Token' });
    });
    await enqueue(['a1', 'a']);
    await worker.drain();
    expect(attempts).toBe(1);
    expect(parked).toEqual([['a1', 'unauthorized: Invalid Access Token']]);
  });

  it('parks on a PermanentDeliveryFailure', async () => {
    const { worker, parked, enqueue } = start(async () => {
      throw new PermanentDeliveryFailure('conversation never opened');
    });
    await enqueue(['a1', 'a']);
    await worker.drain();
    expect(parked).toEqual([['a1', 'conversation never opened']]);
  });

  it('tells onParking before the item is parked; when that fails, the item is tried again, not parked', async () => {
    const outbox = createInMemoryOutbox();
    const events: string[] = [];
    let parkingFailures = 1;
    let attempts = 0;
    const worker = createOutboxWorker({
      outbox,
      leaseMs: 60,
      deliver: async () => {
        attempts += 1;
        throw new PermanentDeliveryFailure('refused');
      },
      onParking: async (item, reason) => {
        events.push(`parking ${item.id} (${reason}), ${(await outbox.listParked()).length} parked`);
        if (parkingFailures > 0) {
          parkingFailures -= 1;
          throw new Error('storage down');
        }
      },
      onParked: (item) => {
        events.push(`parked ${item.id}`);
      },
      onError: (error) => events.push(`error: ${(error as Error).message}`),
    });
    workers.push(worker);
    worker.start();
    await outbox.enqueue([{ id: 'a1', lane: 'a', kind: 'test', payload: null }]);
    worker.notify();
    await worker.drain();
    expect(events).toEqual([
      'parking a1 (refused), 0 parked',
      'error: storage down',
      'parking a1 (refused), 0 parked',
      'parked a1',
    ]);
    expect(attempts).toBe(2);
    expect((await outbox.listParked()).map((item) => [item.id, item.claims])).toEqual([['a1', 2]]);
  });

  it('gives up on a retryable failure after maxAttempts', async () => {
    let attempts = 0;
    const { worker, parked, enqueue } = start(
      async () => {
        attempts += 1;
        throw new SupportError({ code: 'timeout', message: 'no answer' });
      },
      { maxAttempts: 3 },
    );
    await enqueue(['a1', 'a']);
    await worker.drain();
    expect(attempts).toBe(3);
    expect(parked[0]?.[1]).toBe('gave up after 3 attempts: timeout: no answer');
  });

  it('waits at least retryAfterMs before the next attempt', async () => {
    const times: number[] = [];
    const { worker, enqueue } = start(async () => {
      times.push(Date.now());
      if (times.length === 1)
        throw new SupportError({ code: 'rate_limited', message: '429', retryAfterMs: 80 });
    });
    await enqueue(['a1', 'a']);
    await worker.drain();
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(75);
  });

  it('gives deliveries a live signal again after a stop and a start', async () => {
    const aborted: boolean[] = [];
    const { worker, enqueue } = start(async (_item) => undefined);
    await worker.stop();
    const outbox = createInMemoryOutbox();
    const restarted = createOutboxWorker({
      outbox,
      deliver: async (_item, { signal }) => {
        aborted.push(signal.aborted);
      },
    });
    workers.push(restarted);
    restarted.start();
    await restarted.stop();
    restarted.start();
    await outbox.enqueue([{ id: 'x', lane: 'a', kind: 'test', payload: null }]);
    restarted.notify();
    await restarted.drain();
    expect(aborted).toEqual([false]);
    void enqueue;
  });

  it('hands a delivery cut short by stop() back for the next start, neither parked nor lost', async () => {
    const outbox = createInMemoryOutbox();
    const parked: string[] = [];
    const delivered: string[] = [];
    let hang = true;
    const worker = createOutboxWorker({
      outbox,
      deliver: (item, { signal }) =>
        hang
          ? new Promise<void>((_resolve, reject) => {
              // A support call honouring the signal, as adapters do: aborted is not retryable.
              signal.addEventListener('abort', () =>
                reject(new SupportError({ code: 'aborted', message: 'the call was aborted' })),
              );
            })
          : Promise.resolve().then(() => {
              delivered.push(item.id);
            }),
      onParked: (item) => {
        parked.push(item.id);
      },
    });
    workers.push(worker);
    await outbox.enqueue([{ id: 'transfer', lane: 'a', kind: 'test', payload: null }]);
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await worker.stop();
    expect(parked).toEqual([]);
    expect(await outbox.counts()).toMatchObject({ pending: 1, parked: 0 });
    hang = false;
    worker.start();
    await worker.drain();
    expect(delivered).toEqual(['transfer']);
    expect(parked).toEqual([]);
  });

  it('picks up work enqueued while it was idle', async () => {
    const delivered: string[] = [];
    const { worker, enqueue } = start(async (item) => {
      delivered.push(item.id);
    });
    await worker.drain();
    await enqueue(['late', 'a']);
    await worker.drain();
    expect(delivered).toEqual(['late']);
  });
});

describe('outbox worker: leases shared by several workers', () => {
  const twoWorkers = (deliver: (item: OutboxItem, signal: AbortSignal, worker: string) => Promise<void>) => {
    const outbox = createInMemoryOutbox();
    const pair = ['first', 'second'].map((owner) => {
      const worker = createOutboxWorker({
        outbox,
        owner,
        leaseMs: 60,
        idlePollMs: 10,
        deliver: (item, { signal }) => deliver(item, signal, owner),
      });
      workers.push(worker);
      return worker;
    });
    return { outbox, workers: pair };
  };

  it('renews the claim of a delivery slower than its lease, so nobody else delivers it', async () => {
    const deliveries: string[] = [];
    const { outbox, workers: pair } = twoWorkers(async (item, _signal, worker) => {
      deliveries.push(`${item.id} by ${worker}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    });
    await outbox.enqueue([{ id: 'slow', lane: 'a', kind: 'test', payload: null }]);
    for (const worker of pair) worker.start();
    await pair[0]?.drain({ timeoutMs: 2_000 });
    expect(deliveries).toHaveLength(1);
  });

  it('picks up, without being woken, what another process enqueued', async () => {
    const delivered: string[] = [];
    const { outbox, workers: pair } = twoWorkers(async (item) => {
      delivered.push(item.id);
    });
    pair[0]?.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await outbox.enqueue([{ id: 'elsewhere', lane: 'a', kind: 'test', payload: null }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(delivered).toEqual(['elsewhere']);
  });

  it('aborts a delivery whose claim went to another worker', async () => {
    const outbox = createInMemoryOutbox();
    let aborted: unknown;
    const worker = createOutboxWorker({
      outbox,
      owner: 'slow',
      leaseMs: 30,
      deliver: (_item, { signal }) =>
        new Promise<void>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            reject(signal.reason);
          });
        }),
    });
    workers.push(worker);
    await outbox.enqueue([{ id: 'taken', lane: 'a', kind: 'test', payload: null }]);
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Another process takes the item over as if the claim had run out.
    await outbox.claim({ now: Date.now() + 1_000, limit: 1, leaseMs: 60_000, owner: 'other' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(String(aborted)).toContain('went to another worker');
  });
});

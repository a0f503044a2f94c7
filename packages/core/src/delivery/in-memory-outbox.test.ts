import { describe, expect, it } from 'vitest';
import { mayHaveBeenDelivered, type NewOutboxItem } from '../contract/outbox.js';
import { createInMemoryOutbox } from './in-memory-outbox.js';

const item = (id: string, lane = 'lane-a'): NewOutboxItem => ({ id, lane, kind: 'test', payload: { id } });
const claimAll = (outbox: ReturnType<typeof createInMemoryOutbox>, now = 1_000, owner = 'w1') =>
  outbox.claim({ now, limit: 100, leaseMs: 500, owner });

describe('in-memory outbox', () => {
  it('hands out only the head of each lane, so a lane is delivered in order', async () => {
    const outbox = createInMemoryOutbox();
    await outbox.enqueue([item('a1'), item('a2'), item('b1', 'lane-b')], { now: 0 });
    expect((await claimAll(outbox)).map((claimed) => claimed.id)).toEqual(['a1', 'b1']);
    expect(await claimAll(outbox)).toEqual([]);
    await outbox.complete('a1', 'w1');
    expect((await claimAll(outbox)).map((claimed) => claimed.id)).toEqual(['a2']);
  });

  it('keeps a retried head in front of its lane until it is due', async () => {
    const outbox = createInMemoryOutbox();
    await outbox.enqueue([item('a1'), item('a2')], { now: 0 });
    await claimAll(outbox);
    await outbox.retry('a1', 'w1', { availableAt: 5_000, error: 'rate limited' });
    expect(await claimAll(outbox, 2_000)).toEqual([]);
    expect(await outbox.nextDueAt(2_000)).toBe(5_000);
    const [again] = await claimAll(outbox, 5_000);
    expect(again).toMatchObject({ id: 'a1', attempts: 1, lastError: 'rate limited' });
  });

  it('ignores an id it holds or delivered: enqueue is idempotent', async () => {
    const outbox = createInMemoryOutbox();
    await outbox.enqueue([item('a1')], { now: 0 });
    await outbox.enqueue([item('a1')], { now: 0 });
    expect(await outbox.counts()).toMatchObject({ pending: 1 });
    await claimAll(outbox);
    await outbox.complete('a1', 'w1');
    await outbox.enqueue([item('a1')], { now: 0 });
    expect(await outbox.counts()).toMatchObject({ pending: 0, inFlight: 0 });
  });

  it('gives an expired claim to another worker, and ignores the first worker settling late', async () => {
    const outbox = createInMemoryOutbox();
    await outbox.enqueue([item('a1')], { now: 0 });
    await claimAll(outbox, 1_000, 'w1');
    expect(await claimAll(outbox, 1_200, 'w2')).toEqual([]);
    const [reclaimed] = await claimAll(outbox, 1_600, 'w2');
    expect(reclaimed).toMatchObject({ id: 'a1', claims: 2 });
    expect(reclaimed && mayHaveBeenDelivered(reclaimed)).toBe(true);
    await outbox.complete('a1', 'w1');
    expect(await outbox.counts()).toMatchObject({ inFlight: 1 });
    await outbox.complete('a1', 'w2');
    expect(await outbox.counts()).toMatchObject({ pending: 0, inFlight: 0 });
  });

  it('parks an item with its reason without blocking its lane, and can requeue it', async () => {
    const outbox = createInMemoryOutbox();
    await outbox.enqueue([item('a1'), item('a2')], { now: 0 });
    await claimAll(outbox);
    await outbox.park('a1', 'w1', { reason: 'unauthorized: bad token', now: 1_000 });
    expect((await claimAll(outbox)).map((claimed) => claimed.id)).toEqual(['a2']);
    expect(await outbox.listParked()).toMatchObject([{ id: 'a1', reason: 'unauthorized: bad token' }]);
    expect(await outbox.requeue('a1', { now: 1_000 })).toBe(true);
    expect(await outbox.requeue('a1')).toBe(false);
    await outbox.complete('a2', 'w1');
    expect((await claimAll(outbox)).map((claimed) => claimed.id)).toEqual(['a1']);
  });

  it('returns copies: changing a claimed item changes nothing stored', async () => {
    const outbox = createInMemoryOutbox();
    await outbox.enqueue([item('a1')], { now: 0 });
    const [claimed] = await claimAll(outbox);
    (claimed?.payload as { id: string }).id = 'changed';
    await outbox.retry('a1', 'w1', { availableAt: 0, error: 'x' });
    const [again] = await claimAll(outbox);
    expect(again?.payload).toEqual({ id: 'a1' });
  });
});

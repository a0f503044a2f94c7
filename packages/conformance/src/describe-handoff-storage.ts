import {
  type HandoffSession,
  type HandoffStorage,
  mayHaveBeenDelivered,
  type NewOutboxItem,
} from '@handoff/core';
import { afterEach, describe, expect, it } from 'vitest';

export interface HandoffStorageTarget {
  name: string;
  /** A fresh, empty storage per test. */
  create: () => HandoffStorage | Promise<HandoffStorage>;
  /** Releases it (closes files and connections). */
  close?: (storage: HandoffStorage) => void | Promise<void>;
  /**
   * Opens the same storage again, as a restarted process would (durable storages only): what was
   * written must still be there.
   */
  reopen?: (storage: HandoffStorage) => HandoffStorage | Promise<HandoffStorage>;
}

function session(key: string, conversationId?: string): HandoffSession {
  const now = new Date(0).toISOString();
  return {
    key,
    channelId: 'web',
    userId: key,
    sessionId: `session-${key}`,
    mode: conversationId === undefined ? 'bot' : 'human',
    transcript: [],
    droppedMessages: 0,
    unfinishedSkills: [],
    recentMessageIds: [],
    createdAt: now,
    updatedAt: now,
    ...(conversationId === undefined
      ? {}
      : { conversation: { handoffId: `h-${key}`, conversationId, transferred: true } }),
  };
}

const item = (id: string, lane = 'lane-a', payload: unknown = { id }): NewOutboxItem => ({
  id,
  lane,
  kind: 'test',
  payload,
});

/**
 * The contract of `HandoffStorage` (sessions with compare-and-set, the transactional outbox) as
 * vitest suites. Run it against every storage implementation: in memory, SQLite, Redis, yours.
 */
export function describeHandoffStorage(target: HandoffStorageTarget): void {
  const opened: HandoffStorage[] = [];
  const open = async () => {
    const storage = await target.create();
    opened.push(storage);
    return storage;
  };
  afterEach(async () => {
    for (const storage of opened.splice(0)) await target.close?.(storage);
  });
  const claim = (storage: HandoffStorage, now = 1_000, owner = 'w1', leaseMs = 500) =>
    storage.outbox.claim({ now, limit: 100, leaseMs, owner });

  describe(`${target.name}: sessions`, () => {
    it('creates a session only where none exists', async () => {
      const { sessions } = await open();
      expect(await sessions.get('a')).toBeUndefined();
      expect(await sessions.compareAndSet('a', undefined, session('a'))).toBe(true);
      expect(await sessions.compareAndSet('a', undefined, session('a'))).toBe(false);
      expect((await sessions.get('a'))?.session.sessionId).toBe('session-a');
    });

    it('writes only over the version it read, and changes the version on every write', async () => {
      const { sessions } = await open();
      await sessions.compareAndSet('a', undefined, session('a'));
      const first = await sessions.get('a');
      if (first === undefined) throw new Error('missing');
      expect(await sessions.compareAndSet('a', first.version, { ...first.session, mode: 'human' })).toBe(
        true,
      );
      expect(
        await sessions.compareAndSet('a', first.version, { ...first.session, mode: 'choosing-team' }),
      ).toBe(false);
      const second = await sessions.get('a');
      expect(second?.session.mode).toBe('human');
      expect(second?.version).not.toBe(first.version);
    });

    it('returns copies that change nothing stored', async () => {
      const { sessions } = await open();
      await sessions.compareAndSet('a', undefined, session('a'));
      const read = await sessions.get('a');
      read?.session.recentMessageIds.push('changed');
      expect((await sessions.get('a'))?.session.recentMessageIds).toEqual([]);
    });

    it('finds a session by its current conversation, and forgets the old one', async () => {
      const { sessions } = await open();
      await sessions.compareAndSet('a', undefined, session('a', '42'));
      expect(await sessions.findKeyByConversation('42')).toBe('a');
      const stored = await sessions.get('a');
      if (stored === undefined) throw new Error('missing');
      await sessions.compareAndSet('a', stored.version, session('a', '43'));
      expect(await sessions.findKeyByConversation('42')).toBeUndefined();
      expect(await sessions.findKeyByConversation('43')).toBe('a');
    });

    it('finds a session by the conversation it closed last until it has a new one (late webhooks)', async () => {
      const { sessions } = await open();
      await sessions.compareAndSet('a', undefined, session('a', '42'));
      const stored = await sessions.get('a');
      if (stored === undefined) throw new Error('missing');
      const closed: HandoffSession = {
        ...session('a'),
        previousConversation: { handoffId: 'h-a', conversationId: '42', closedAt: new Date(0).toISOString() },
      };
      await sessions.compareAndSet('a', stored.version, closed);
      expect(await sessions.findKeyByConversation('42')).toBe('a');
      const again = await sessions.get('a');
      if (again === undefined) throw new Error('missing');
      await sessions.compareAndSet('a', again.version, {
        ...session('a', '43'),
        previousConversation: closed.previousConversation,
      });
      expect(await sessions.findKeyByConversation('43')).toBe('a');
      expect(await sessions.findKeyByConversation('42')).toBeUndefined();
    });

    it('lists every session with a current conversation', async () => {
      const { sessions } = await open();
      await sessions.compareAndSet('a', undefined, session('a', '42'));
      await sessions.compareAndSet('b', undefined, session('b'));
      await sessions.compareAndSet('c', undefined, session('c', '44'));
      const listed = await sessions.listConversations();
      expect([...listed].sort((left, right) => left.key.localeCompare(right.key))).toEqual([
        { key: 'a', conversationId: '42' },
        { key: 'c', conversationId: '44' },
      ]);
    });

    it('enqueues items with a write, and none when the write loses', async () => {
      const storage = await open();
      await storage.sessions.compareAndSet('a', undefined, session('a'), [item('x1')]);
      expect(await storage.sessions.compareAndSet('a', undefined, session('a'), [item('x2')])).toBe(false);
      expect((await claim(storage, Date.now() + 1)).map((claimed) => claimed.id)).toEqual(['x1']);
      expect(await storage.outbox.counts()).toMatchObject({ pending: 0, inFlight: 1 });
    });
  });

  describe(`${target.name}: outbox`, () => {
    it('hands out only the head of each lane, in enqueue order', async () => {
      const { outbox } = await open();
      await outbox.enqueue([item('a1'), item('a2'), item('b1', 'lane-b'), item('a3')], { now: 0 });
      const claimed = (await outbox.claim({ now: 1_000, limit: 100, leaseMs: 500, owner: 'w' })).map(
        (entry) => entry.id,
      );
      expect(claimed.sort()).toEqual(['a1', 'b1']);
      await outbox.complete('a1', 'w');
      expect(
        (await outbox.claim({ now: 1_000, limit: 100, leaseMs: 500, owner: 'w' })).map((entry) => entry.id),
      ).toEqual(['a2']);
    });

    it('holds a timer until its availableAt, counts it as scheduled, and tells when it is due', async () => {
      const storage = await open();
      await storage.outbox.enqueue([{ ...item('t1', 'timer-a'), availableAt: 60_000 }, item('a1')], {
        now: 0,
      });
      expect(await storage.outbox.counts({ now: 1_000 })).toMatchObject({ pending: 1, scheduled: 1 });
      expect((await claim(storage, 1_000)).map((claimed) => claimed.id)).toEqual(['a1']);
      await storage.outbox.complete('a1', 'w1');
      expect(await storage.outbox.nextDueAt(1_000)).toBe(60_000);
      expect(await claim(storage, 59_999)).toEqual([]);
      expect((await claim(storage, 60_000)).map((claimed) => claimed.id)).toEqual(['t1']);
      expect(await storage.outbox.counts({ now: 60_000 })).toMatchObject({
        pending: 0,
        scheduled: 0,
        inFlight: 1,
      });
    });

    it('hands over the next due item of the lane when completing with claimNext', async () => {
      const storage = await open();
      await storage.outbox.enqueue(
        [item('a1'), item('a2'), item('b1', 'lane-b'), { ...item('a3'), availableAt: 60_000 }],
        { now: 0 },
      );
      const [first] = await storage.outbox.claim({ now: 1_000, limit: 1, leaseMs: 500, owner: 'w1' });
      expect(first?.id).toBe('a1');
      const next = await storage.outbox.complete('a1', 'w1', { claimNext: { now: 1_000, leaseMs: 500 } });
      expect(next).toMatchObject({ id: 'a2', lane: 'lane-a', claims: 1 });
      // Claimed: nobody else gets it, and the other lane is untouched.
      expect((await claim(storage, 1_000, 'w2')).map((claimed) => claimed.id)).toEqual(['b1']);
      expect(
        await storage.outbox.complete('a2', 'w1', { claimNext: { now: 1_000, leaseMs: 500 } }),
      ).toBeUndefined();
      // a3 is not due yet: it was not handed over.
      expect(await storage.outbox.counts({ now: 1_000 })).toMatchObject({
        pending: 0,
        scheduled: 1,
        inFlight: 1,
      });
    });

    it('keeps the payload intact', async () => {
      const { outbox } = await open();
      const payload = { text: 'héllo 👋 \u202e', nested: { list: [1, 'two', null] } };
      await outbox.enqueue([item('a1', 'lane-a', payload)], { now: 0 });
      const [claimed] = await outbox.claim({ now: 1, limit: 1, leaseMs: 500, owner: 'w' });
      expect(claimed).toMatchObject({
        id: 'a1',
        lane: 'lane-a',
        kind: 'test',
        payload,
        attempts: 0,
        claims: 1,
      });
    });

    it('is idempotent on ids, pending or delivered', async () => {
      const storage = await open();
      await storage.outbox.enqueue([item('a1'), item('a1')], { now: 0 });
      expect(await storage.outbox.counts()).toMatchObject({ pending: 1 });
      await claim(storage);
      await storage.outbox.complete('a1', 'w1');
      await storage.outbox.enqueue([item('a1')], { now: 0 });
      expect(await storage.outbox.counts()).toMatchObject({ pending: 0, inFlight: 0 });
    });

    it('keeps a retried head in front of its lane until it is due', async () => {
      const storage = await open();
      await storage.outbox.enqueue([item('a1'), item('a2')], { now: 0 });
      await claim(storage);
      await storage.outbox.retry('a1', 'w1', { availableAt: 5_000, error: 'rate limited' });
      expect(await claim(storage, 2_000)).toEqual([]);
      expect(await storage.outbox.nextDueAt(2_000)).toBe(5_000);
      expect(await claim(storage, 5_000)).toMatchObject([
        { id: 'a1', attempts: 1, claims: 2, lastError: 'rate limited' },
      ]);
    });

    it('gives an expired claim to another worker and ignores the first settling late', async () => {
      const storage = await open();
      await storage.outbox.enqueue([item('a1')], { now: 0 });
      await claim(storage, 1_000, 'w1');
      expect(await claim(storage, 1_200, 'w2')).toEqual([]);
      const [again] = await claim(storage, 1_600, 'w2');
      expect(again?.id).toBe('a1');
      expect(again && mayHaveBeenDelivered(again)).toBe(true);
      await storage.outbox.complete('a1', 'w1');
      expect(await storage.outbox.counts()).toMatchObject({ inFlight: 1 });
      await storage.outbox.complete('a1', 'w2');
      expect(await storage.outbox.counts()).toMatchObject({ pending: 0, inFlight: 0 });
    });

    it('tells a held claim comes due when it ends, so idle workers sleep until then', async () => {
      const storage = await open();
      await storage.outbox.enqueue([item('a1')], { now: 0 });
      await claim(storage, 1_000, 'w1');
      expect(await storage.outbox.nextDueAt(1_000)).toBe(1_500);
    });

    it('renews a claim only for its owner, and a renewed claim is not handed to another worker', async () => {
      const storage = await open();
      await storage.outbox.enqueue([item('a1')], { now: 0 });
      await claim(storage, 1_000, 'w1');
      expect(await storage.outbox.extend('a1', 'w2', 5_000)).toBe(false);
      expect(await storage.outbox.extend('a1', 'w1', 5_000)).toBe(true);
      expect(await claim(storage, 2_000, 'w2')).toEqual([]);
      expect(await storage.outbox.nextDueAt(2_000)).toBe(5_000);
      const [taken] = await claim(storage, 5_000, 'w2');
      expect(taken?.id).toBe('a1');
      expect(await storage.outbox.extend('a1', 'w1', 9_000)).toBe(false);
      expect(await storage.outbox.extend('missing', 'w1', 9_000)).toBe(false);
    });

    it('parks with the reason, lets the lane go on, and requeues on demand', async () => {
      const storage = await open();
      await storage.outbox.enqueue([item('a1'), item('a2')], { now: 0 });
      await claim(storage);
      await storage.outbox.park('a1', 'w1', { reason: 'unauthorized: bad token', now: 1_000 });
      expect((await claim(storage)).map((claimed) => claimed.id)).toEqual(['a2']);
      expect(await storage.outbox.listParked()).toMatchObject([
        { id: 'a1', reason: 'unauthorized: bad token', parkedAt: 1_000 },
      ]);
      expect(await storage.outbox.counts()).toMatchObject({ parked: 1 });
      expect(await storage.outbox.requeue('a1', { now: 1_000 })).toBe(true);
      expect(await storage.outbox.requeue('a1')).toBe(false);
      await storage.outbox.complete('a2', 'w1');
      expect((await claim(storage, 2_000)).map((claimed) => claimed.id)).toEqual(['a1']);
    });

    it('claims at most the limit', async () => {
      const { outbox } = await open();
      await outbox.enqueue(
        Array.from({ length: 10 }, (_, index) => item(`x${index}`, `lane-${index}`)),
        { now: 0 },
      );
      expect(await outbox.claim({ now: 1, limit: 3, leaseMs: 500, owner: 'w' })).toHaveLength(3);
    });
  });

  const reopen = target.reopen;
  if (reopen !== undefined) {
    describe(`${target.name}: durability`, () => {
      it('keeps sessions and pending, in-flight and parked items across a reopen', async () => {
        const storage = await open();
        await storage.sessions.compareAndSet('a', undefined, session('a', '42'), [item('a1'), item('a2')]);
        await storage.outbox.enqueue([item('b1', 'lane-b')], { now: 0 });
        const now = Date.now();
        await claim(storage, now, 'crashed-worker', 500);
        await storage.outbox.park('b1', 'crashed-worker', { reason: 'refused', now });
        const again = await reopen(storage);
        opened.push(again);
        expect((await again.sessions.get('a'))?.session.conversation?.conversationId).toBe('42');
        expect(await again.sessions.findKeyByConversation('42')).toBe('a');
        // The claim of the crashed worker expires; the item is delivered again, flagged as such.
        const [redelivered] = await again.outbox.claim({
          now: now + 1_000,
          limit: 10,
          leaseMs: 500,
          owner: 'new-worker',
        });
        expect(redelivered).toMatchObject({ id: 'a1', claims: 2 });
        expect((await again.outbox.listParked()).map((parked) => parked.id)).toEqual(['b1']);
      });
    });
  }
}

// Sessions and the transactional outbox in SQLite: the HandoffStorage of both engines.
import type {
  HandoffSession,
  HandoffStorage,
  NewOutboxItem,
  NextClaimOptions,
  Outbox,
  OutboxItem,
  ParkedOutboxItem,
  SessionStore,
} from '@handoff/core';
import { indexedConversationId, type OutboxRow, outboxItemFromRow as toItem } from '@handoff/core';
import { createCommitGroup } from './sqlite-commit-group.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Sessions and the transactional outbox in one SQLite file: a session write and the deliveries it
 * implies commit in one transaction, and the outbox survives restarts. Claims expire, so items a
 * killed process held are delivered again (flagged by their claim count).
 */
export function createSqliteStorage(
  database: SqliteDatabase,
  settings: { deliveredRetentionMs?: number } = {},
): HandoffStorage & {
  pruneDelivered(now?: number): number;
  /**
   * Frees every claim, for a process that owns the file alone and starts: what a killed
   * predecessor held is delivered again at once, flagged as possibly delivered (claims > 1).
   */
  releaseClaims(): number;
} {
  const retentionMs = settings.deliveredRetentionMs ?? 7 * 24 * 60 * 60 * 1000;
  const statements = {
    getSession: database.prepare<[string], { version: number; data: string }>(
      'SELECT version, data FROM sessions WHERE key = ?',
    ),
    insertSession: database.prepare(
      'INSERT INTO sessions (key, version, conversation_id, data) VALUES (?, 1, ?, ?) ON CONFLICT (key) DO NOTHING',
    ),
    updateSession: database.prepare(
      'UPDATE sessions SET version = version + 1, conversation_id = ?, data = ? WHERE key = ? AND version = ?',
    ),
    sessionConversations: database.prepare<[], { key: string; conversation_id: string }>(
      'SELECT key, conversation_id FROM sessions WHERE conversation_id IS NOT NULL',
    ),
    sessionByConversation: database.prepare<[string], { key: string }>(
      'SELECT key FROM sessions WHERE conversation_id = ? LIMIT 1',
    ),
    knownItem: database.prepare<[string, string], { found: number }>(
      'SELECT 1 AS found FROM outbox WHERE id = ? UNION ALL SELECT 1 FROM outbox_delivered WHERE id = ? LIMIT 1',
    ),
    insertItem: database.prepare(
      'INSERT INTO outbox (id, lane, kind, payload, available_at, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    ),
    heads: database.prepare<{ now: number; limit: number }, OutboxRow>(`
      SELECT o.* FROM outbox_heads h JOIN outbox o ON o.seq = h.seq
      WHERE o.available_at <= @now
        AND (o.claim_until IS NULL OR o.claim_until <= @now)
      ORDER BY o.seq
      LIMIT @limit`),
    addHead: database.prepare(
      'INSERT INTO outbox_heads (lane, seq) VALUES (?, ?) ON CONFLICT (lane) DO NOTHING',
    ),
    dropHead: database.prepare('DELETE FROM outbox_heads WHERE lane = ?'),
    laneHead: database.prepare<{ lane: string; now: number }, OutboxRow>(`
      SELECT o.* FROM outbox_heads h JOIN outbox o ON o.seq = h.seq
      WHERE h.lane = @lane AND o.available_at <= @now AND (o.claim_until IS NULL OR o.claim_until <= @now)`),
    /** After an item left its lane (delivered or parked): the next pending item heads it, if any. */
    nextHead: database.prepare(
      "INSERT INTO outbox_heads (lane, seq) SELECT lane, MIN(seq) FROM outbox WHERE state = 'pending' AND lane = ? GROUP BY lane",
    ),
    claimItem: database.prepare(
      'UPDATE outbox SET claimed_by = ?, claim_until = ?, claims = claims + 1 WHERE seq = ?',
    ),
    completeItem: database.prepare<[string, string], { lane: string }>(
      "DELETE FROM outbox WHERE id = ? AND claimed_by = ? AND state = 'pending' RETURNING lane",
    ),
    rememberDelivered: database.prepare(
      'INSERT OR IGNORE INTO outbox_delivered (id, delivered_at) VALUES (?, ?)',
    ),
    extendClaim: database.prepare(
      "UPDATE outbox SET claim_until = ? WHERE id = ? AND claimed_by = ? AND state = 'pending'",
    ),
    retryItem: database.prepare(
      "UPDATE outbox SET attempts = attempts + 1, available_at = ?, last_error = ?, claimed_by = NULL, claim_until = NULL WHERE id = ? AND claimed_by = ? AND state = 'pending'",
    ),
    parkItem: database.prepare<[string, number, string, string], { lane: string }>(
      "UPDATE outbox SET state = 'parked', attempts = attempts + 1, reason = ?, parked_at = ?, claimed_by = NULL, claim_until = NULL WHERE id = ? AND claimed_by = ? AND state = 'pending' RETURNING lane",
    ),
    listParked: database.prepare<[number], OutboxRow>(
      "SELECT * FROM outbox WHERE state = 'parked' ORDER BY parked_at, seq LIMIT ?",
    ),
    requeueItem: database.prepare<[number, string], { lane: string; seq: number }>(
      "UPDATE outbox SET state = 'pending', seq = (SELECT MAX(seq) + 1 FROM outbox), attempts = 0, available_at = ?, reason = NULL, parked_at = NULL WHERE id = ? AND state = 'parked' RETURNING lane, seq",
    ),
    nextDue: database.prepare<{ now: number }, { due: number | null }>(`
      SELECT MIN(CASE WHEN o.claim_until IS NOT NULL AND o.claim_until > @now THEN o.claim_until ELSE o.available_at END) AS due
      FROM outbox_heads h JOIN outbox o ON o.seq = h.seq`),
    counts: database.prepare<
      { now: number },
      { pending: number; scheduled: number; in_flight: number; parked: number }
    >(`
      SELECT
        COALESCE(SUM(CASE WHEN state = 'pending' AND claimed_by IS NULL
          AND NOT (attempts = 0 AND available_at > @now) THEN 1 ELSE 0 END), 0) AS pending,
        COALESCE(SUM(CASE WHEN state = 'pending' AND claimed_by IS NULL
          AND attempts = 0 AND available_at > @now THEN 1 ELSE 0 END), 0) AS scheduled,
        COALESCE(SUM(CASE WHEN state = 'pending' AND claimed_by IS NOT NULL THEN 1 ELSE 0 END), 0) AS in_flight,
        COALESCE(SUM(CASE WHEN state = 'parked' THEN 1 ELSE 0 END), 0) AS parked
      FROM outbox`),
    pruneDelivered: database.prepare('DELETE FROM outbox_delivered WHERE delivered_at < ?'),
    releaseClaims: database.prepare(
      "UPDATE outbox SET claimed_by = NULL, claim_until = NULL WHERE state = 'pending' AND claimed_by IS NOT NULL",
    ),
  };

  /** An item as it is written: serialised when the write is asked for, not when it commits. */
  type ItemRow = Omit<NewOutboxItem, 'payload'> & { payload: string };
  const toRows = (items: readonly NewOutboxItem[]): ItemRow[] =>
    items.map((item) => ({ ...item, payload: JSON.stringify(item.payload) }));

  const enqueue = (items: readonly ItemRow[], now: number) => {
    for (const item of items) {
      if (statements.knownItem.get(item.id, item.id) !== undefined) continue;
      const inserted = statements.insertItem.run(
        item.id,
        item.lane,
        item.kind,
        item.payload,
        item.availableAt ?? now,
        now,
      );
      if (inserted.changes === 1) statements.addHead.run(item.lane, Number(inserted.lastInsertRowid));
    }
  };

  const compareAndSet = (
    key: string,
    expectedVersion: number | undefined,
    data: string,
    conversationId: string | null,
    items: readonly ItemRow[],
  ) => {
    const result =
      expectedVersion === undefined
        ? statements.insertSession.run(key, conversationId, data)
        : statements.updateSession.run(conversationId, data, key, expectedVersion);
    if (result.changes !== 1) return false;
    enqueue(items, Date.now());
    return true;
  };

  const claim = (now: number, limit: number, leaseMs: number, owner: string) => {
    const rows = statements.heads.all({ now, limit });
    for (const row of rows) statements.claimItem.run(owner, now + leaseMs, row.seq);
    return rows.map((row) => ({ ...toItem(row), claims: row.claims + 1 }));
  };

  /** The lane lost its head: the next pending item (if any) heads it. */
  const advance = (lane: string) => {
    statements.dropHead.run(lane);
    statements.nextHead.run(lane);
  };

  const complete = (
    id: string,
    owner: string,
    claimNext: NextClaimOptions | undefined,
  ): OutboxItem | undefined => {
    const removed = statements.completeItem.get(id, owner);
    if (removed === undefined) return undefined;
    statements.rememberDelivered.run(id, Date.now());
    advance(removed.lane);
    if (claimNext === undefined) return undefined;
    const next = statements.laneHead.get({ lane: removed.lane, now: claimNext.now });
    if (next === undefined) return undefined;
    statements.claimItem.run(owner, claimNext.now + claimNext.leaseMs, next.seq);
    return { ...toItem(next), claims: next.claims + 1 };
  };

  const park = (id: string, owner: string, reason: string, now: number) => {
    const parked = statements.parkItem.get(reason, now, id, owner);
    if (parked !== undefined) advance(parked.lane);
  };

  const requeue = (id: string, now: number) => {
    const requeued = statements.requeueItem.get(now, id);
    if (requeued === undefined) return false;
    statements.addHead.run(requeued.lane, requeued.seq);
    return true;
  };
  // Every write below goes through the commit group: one transaction per event-loop turn.
  const group = createCommitGroup(database);

  const sessions: SessionStore = {
    async get(key) {
      const row = statements.getSession.get(key);
      return row === undefined
        ? undefined
        : { session: JSON.parse(row.data) as HandoffSession, version: row.version };
    },
    async compareAndSet(key, expectedVersion, session, items = []) {
      const data = JSON.stringify(session);
      const conversationId = indexedConversationId(session) ?? null;
      const rows = toRows(items);
      return group.run(() => compareAndSet(key, expectedVersion, data, conversationId, rows));
    },
    async findKeyByConversation(conversationId) {
      return statements.sessionByConversation.get(conversationId)?.key;
    },
    async listConversations() {
      return statements.sessionConversations
        .all()
        .map((row) => ({ key: row.key, conversationId: row.conversation_id }));
    },
  };

  const outbox: Outbox = {
    groupsCommits: true,
    async enqueue(items, options = {}) {
      const rows = toRows(items);
      const now = options.now ?? Date.now();
      return group.run(() => enqueue(rows, now));
    },
    async claim({ now, limit, leaseMs, owner }) {
      return group.run(() => claim(now, limit, leaseMs, owner));
    },
    async complete(id, owner, options = {}) {
      const claimNext = options.claimNext;
      return group.run(() => complete(id, owner, claimNext));
    },
    async extend(id, owner, until) {
      return group.run(() => statements.extendClaim.run(until, id, owner).changes === 1);
    },
    async retry(id, owner, update) {
      const { availableAt, error } = update;
      await group.run(() => statements.retryItem.run(availableAt, error, id, owner));
    },
    async park(id, owner, update) {
      const { reason, now } = update;
      await group.run(() => park(id, owner, reason, now));
    },
    async listParked(options = {}) {
      return statements.listParked.all(options.limit ?? 100).map(
        (row): ParkedOutboxItem => ({
          ...toItem(row),
          reason: row.reason ?? '',
          parkedAt: row.parked_at ?? 0,
        }),
      );
    },
    async requeue(id, options = {}) {
      const now = options.now ?? Date.now();
      return group.run(() => requeue(id, now));
    },
    async nextDueAt(now) {
      return statements.nextDue.get({ now })?.due ?? undefined;
    },
    async counts(options = {}) {
      const row = statements.counts.get({ now: options.now ?? Date.now() });
      return {
        pending: row?.pending ?? 0,
        scheduled: row?.scheduled ?? 0,
        inFlight: row?.in_flight ?? 0,
        parked: row?.parked ?? 0,
      };
    },
  };

  return {
    sessions,
    outbox,
    pruneDelivered: (now = Date.now()) => statements.pruneDelivered.run(now - retentionMs).changes,
    releaseClaims: () => statements.releaseClaims.run().changes,
  };
}

// Sessions and the transactional outbox in PostgreSQL, shared by every instance.
import type {
  HandoffSession,
  HandoffStorage,
  NewOutboxItem,
  Outbox,
  ParkedOutboxItem,
  SessionStore,
} from '@handoff/core';
import { indexedConversationId, type OutboxRow, outboxItemFromRow as toItem } from '@handoff/core';
import type { PostgresDatabase, Queryable } from './postgres-database.js';
import type { StorageTables } from './postgres-schema.js';

/**
 * Sessions and the transactional outbox in PostgreSQL, for several instances at once. A session
 * write and the deliveries it implies commit in one transaction. A table of lane heads (each
 * lane's lowest pending item and when it can next be claimed) is all a claim reads; claims lock
 * heads with SKIP LOCKED, so instances claiming at once never get the same lane. Whatever changes
 * which item heads a lane (enqueue, complete, park, requeue) holds the lane's advisory lock, so
 * items of a lane are numbered in commit order and a head is never lost to a race. Locks are
 * taken in one order: lane lock, head row, item row.
 */
export function createPostgresStorage(
  database: PostgresDatabase,
  tables: StorageTables,
  /** Which storage of the deployment: its rows carry it (`main`, `agent-bot`, `chatbot:<id>`). */
  scope: string,
): HandoffStorage {
  const { sessions: sessionTable, outbox: outboxTable, heads, delivered } = tables;

  const laneLockNamespace = `${tables.lockNamespace}${scope.length}:${scope}:`;

  /** Locks the lanes (sorted by lock key, so two transactions never wait on each other in a ring). */
  const lockLanes = (client: Queryable, lanes: readonly string[]) =>
    client.query(
      `SELECT pg_advisory_xact_lock(k) FROM (
         SELECT DISTINCT hashtextextended($1 || lane, 0) AS k FROM unnest($2::text[]) AS lane
       ) locks ORDER BY k`,
      [laneLockNamespace, lanes],
    );

  /**
   * The lane lost its head: its lowest pending item heads it, if any. With `claim`, that item, when
   * due and unclaimed, is claimed for the owner in the same statement and returned.
   */
  const advance = async (
    client: Queryable,
    lane: string,
    claim?: { owner: string; now: number; claimEnd: number },
  ) => {
    const result = await client.query<OutboxRow>(
      `WITH next AS (
         SELECT seq, available_at, GREATEST(available_at, COALESCE(claim_until, 0)) AS due FROM ${outboxTable}
         WHERE scope = $1 AND lane = $2 AND state = 'pending' ORDER BY seq LIMIT 1
       ), claimed AS (
         UPDATE ${outboxTable} o SET claimed_by = $3, claim_until = $5, claims = o.claims + 1
         FROM next WHERE $3::text IS NOT NULL AND o.seq = next.seq AND next.due <= $4
         RETURNING o.*
       ), upserted AS (
         INSERT INTO ${heads} (scope, lane, seq, due)
         SELECT $1, $2, seq, CASE WHEN EXISTS (SELECT 1 FROM claimed) THEN $5 ELSE due END FROM next
         ON CONFLICT (scope, lane) DO UPDATE SET seq = excluded.seq, due = excluded.due
       ), emptied AS (
         DELETE FROM ${heads} WHERE scope = $1 AND lane = $2 AND NOT EXISTS (SELECT 1 FROM next)
       )
       SELECT * FROM claimed`,
      [scope, lane, claim?.owner ?? null, claim?.now ?? 0, claim?.claimEnd ?? 0],
    );
    return result.rows.map(toItem)[0];
  };

  const enqueue = async (client: Queryable, items: readonly NewOutboxItem[], now: number) => {
    // An id given twice is enqueued once, at its first place.
    const seen = new Set<string>();
    const first = items.filter((item) => !seen.has(item.id) && seen.add(item.id));
    if (first.length === 0) return;
    await lockLanes(
      client,
      first.map((item) => item.lane),
    );
    await client.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
           WITH ORDINALITY AS t(id, lane, kind, payload, available_at, ord)
       ), inserted AS (
         INSERT INTO ${outboxTable} (scope, id, lane, kind, payload, available_at, created_at)
         SELECT $7, id, lane, kind, payload, available_at, $6 FROM input
         WHERE NOT EXISTS (SELECT 1 FROM ${delivered} d WHERE d.scope = $7 AND d.id = input.id)
         ORDER BY ord
         ON CONFLICT (scope, id) DO NOTHING
         RETURNING seq, lane, available_at
       )
       INSERT INTO ${heads} (scope, lane, seq, due)
       SELECT DISTINCT ON (lane) $7, lane, seq, available_at FROM inserted ORDER BY lane, seq
       ON CONFLICT (scope, lane) DO NOTHING`,
      [
        first.map((item) => item.id),
        first.map((item) => item.lane),
        first.map((item) => item.kind),
        first.map((item) => JSON.stringify(item.payload)),
        first.map((item) => item.availableAt ?? now),
        now,
        scope,
      ],
    );
  };

  /** Claims the due head of each picked lane for `owner`; `picked` selects heads FOR UPDATE. */
  const claimHeads = async (
    client: Queryable,
    picked: string,
    values: unknown[],
    claim: { owner: string; claimEnd: number },
  ) => {
    const owner = `$${values.length + 1}`;
    const claimEnd = `$${values.length + 2}`;
    const result = await client.query<OutboxRow>(
      `WITH picked AS (${picked}),
       claimed AS (
         UPDATE ${outboxTable} o SET claimed_by = ${owner}, claim_until = ${claimEnd}::bigint, claims = o.claims + 1
         FROM picked WHERE o.seq = picked.seq
         RETURNING o.*
       ), moved AS (
         UPDATE ${heads} h SET due = ${claimEnd}::bigint FROM picked WHERE h.scope = picked.scope AND h.lane = picked.lane
       )
       SELECT * FROM claimed`,
      [...values, claim.owner, claim.claimEnd],
    );
    return result.rows.map(toItem);
  };

  /**
   * The lane of an item `owner` holds, in one statement: the lane's advisory lock, then its head
   * row locked (the order every writer of a lane keeps).
   */
  const holdLaneOf = async (client: Queryable, id: string, owner: string) => {
    const found = await client.query<{ lane: string }>(
      `SELECT h.lane FROM ${heads} h
       WHERE h.scope = $1
         AND h.lane = (SELECT lane FROM ${outboxTable} WHERE scope = $1 AND id = $2 AND claimed_by = $3 AND state = 'pending')
         AND pg_advisory_xact_lock(hashtextextended($4 || h.lane, 0))::text = ''
       FOR UPDATE`,
      [scope, id, owner, laneLockNamespace],
    );
    return found.rows[0]?.lane;
  };

  const sessions: SessionStore = {
    async get(key) {
      const result = await database.query<{ version: number; data: string }>(
        `SELECT version, data FROM ${sessionTable} WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
      const row = result.rows[0];
      return row === undefined
        ? undefined
        : { session: JSON.parse(row.data) as HandoffSession, version: row.version };
    },
    async compareAndSet(key, expectedVersion, session, items = []) {
      const data = JSON.stringify(session);
      const conversationId = indexedConversationId(session) ?? null;
      const write = async (client: Queryable) => {
        const result =
          expectedVersion === undefined
            ? await client.query(
                `INSERT INTO ${sessionTable} (scope, key, version, conversation_id, data) VALUES ($4, $1, 1, $2, $3) ON CONFLICT (scope, key) DO NOTHING`,
                [key, conversationId, data, scope],
              )
            : await client.query(
                `UPDATE ${sessionTable} SET version = version + 1, conversation_id = $1, data = $2 WHERE scope = $5 AND key = $3 AND version = $4`,
                [conversationId, data, key, expectedVersion, scope],
              );
        return result.rowCount === 1;
      };
      if (items.length === 0) return write(database);
      return database.transaction(async (client) => {
        if (!(await write(client))) return false;
        await enqueue(client, items, Date.now());
        return true;
      });
    },
    async findKeyByConversation(conversationId) {
      const result = await database.query<{ key: string }>(
        `SELECT key FROM ${sessionTable} WHERE scope = $1 AND conversation_id = $2 LIMIT 1`,
        [scope, conversationId],
      );
      return result.rows[0]?.key;
    },
    async listConversations() {
      const result = await database.query<{ key: string; conversation_id: string }>(
        `SELECT key, conversation_id FROM ${sessionTable} WHERE scope = $1 AND conversation_id IS NOT NULL`,
        [scope],
      );
      return result.rows.map((row) => ({ key: row.key, conversationId: row.conversation_id }));
    },
  };

  const outbox: Outbox = {
    async enqueue(items, options = {}) {
      if (items.length === 0) return;
      await database.transaction((client) => enqueue(client, items, options.now ?? Date.now()));
    },
    async claim({ now, limit, leaseMs, owner }) {
      return claimHeads(
        database,
        `SELECT scope, lane, seq FROM ${heads} WHERE scope = $1 AND due <= $2 ORDER BY due LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [scope, now, limit],
        { owner, claimEnd: now + leaseMs },
      );
    },
    async complete(id, owner, options = {}) {
      return database.transaction(async (client) => {
        const lane = await holdLaneOf(client, id, owner);
        if (lane === undefined) return undefined;
        const removed = await client.query(
          `WITH gone AS (
             DELETE FROM ${outboxTable} WHERE scope = $1 AND id = $2 AND claimed_by = $3 AND state = 'pending' RETURNING id
           )
           INSERT INTO ${delivered} (scope, id, delivered_at) SELECT $1, id, $4 FROM gone
           ON CONFLICT (scope, id) DO UPDATE SET delivered_at = excluded.delivered_at`,
          [scope, id, owner, Date.now()],
        );
        if (removed.rowCount !== 1) return undefined;
        const next = options.claimNext;
        return advance(
          client,
          lane,
          next === undefined ? undefined : { owner, now: next.now, claimEnd: next.now + next.leaseMs },
        );
      });
    },
    async extend(id, owner, until) {
      const result = await database.query<{ renewed: number }>(
        `WITH head AS (
           SELECT h.lane, h.seq FROM ${heads} h JOIN ${outboxTable} o ON h.scope = o.scope AND h.lane = o.lane AND h.seq = o.seq
           WHERE o.scope = $4 AND o.id = $1 AND o.claimed_by = $2 AND o.state = 'pending' FOR UPDATE OF h
         ), item AS (
           UPDATE ${outboxTable} o SET claim_until = $3 FROM head
           WHERE o.seq = head.seq AND o.claimed_by = $2 AND o.state = 'pending' RETURNING o.scope, o.lane, o.seq
         ), moved AS (
           UPDATE ${heads} h SET due = $3 FROM item WHERE h.scope = item.scope AND h.lane = item.lane AND h.seq = item.seq
         )
         SELECT count(*)::int AS renewed FROM item`,
        [id, owner, until, scope],
      );
      return result.rows[0]?.renewed === 1;
    },
    async retry(id, owner, update) {
      await database.query(
        `WITH head AS (
           SELECT h.lane, h.seq FROM ${heads} h JOIN ${outboxTable} o ON h.scope = o.scope AND h.lane = o.lane AND h.seq = o.seq
           WHERE o.scope = $5 AND o.id = $1 AND o.claimed_by = $2 AND o.state = 'pending' FOR UPDATE OF h
         ), item AS (
           UPDATE ${outboxTable} o
           SET attempts = o.attempts + 1, available_at = $3, last_error = $4, claimed_by = NULL, claim_until = NULL
           FROM head WHERE o.seq = head.seq AND o.claimed_by = $2 AND o.state = 'pending' RETURNING o.scope, o.lane, o.seq
         )
         UPDATE ${heads} h SET due = $3 FROM item WHERE h.scope = item.scope AND h.lane = item.lane AND h.seq = item.seq`,
        [id, owner, update.availableAt, update.error, scope],
      );
    },
    async park(id, owner, update) {
      await database.transaction(async (client) => {
        const lane = await holdLaneOf(client, id, owner);
        if (lane === undefined) return;
        const parked = await client.query(
          `UPDATE ${outboxTable}
           SET state = 'parked', attempts = attempts + 1, reason = $3, parked_at = $4, claimed_by = NULL, claim_until = NULL
           WHERE scope = $5 AND id = $1 AND claimed_by = $2 AND state = 'pending'`,
          [id, owner, update.reason, update.now, scope],
        );
        if (parked.rowCount === 1) await advance(client, lane);
      });
    },
    async listParked(options = {}) {
      const result = await database.query<OutboxRow>(
        `SELECT * FROM ${outboxTable} WHERE scope = $1 AND state = 'parked' ORDER BY parked_at, seq LIMIT $2`,
        [scope, options.limit ?? 100],
      );
      return result.rows.map(
        (row): ParkedOutboxItem => ({
          ...toItem(row),
          reason: row.reason ?? '',
          parkedAt: row.parked_at ?? 0,
        }),
      );
    },
    async requeue(id, options = {}) {
      const now = options.now ?? Date.now();
      return database.transaction(async (client) => {
        const found = await client.query<{ lane: string }>(
          `SELECT lane FROM ${outboxTable} WHERE scope = $1 AND id = $2 AND state = 'parked'`,
          [scope, id],
        );
        const lane = found.rows[0]?.lane;
        if (lane === undefined) return false;
        await lockLanes(client, [lane]);
        // A new number puts it at the end of its lane.
        const requeued = await client.query<{ seq: number }>(
          `UPDATE ${outboxTable}
           SET state = 'pending', seq = DEFAULT, attempts = 0, available_at = $2, reason = NULL, parked_at = NULL
           WHERE scope = $3 AND id = $1 AND state = 'parked' RETURNING seq`,
          [id, now, scope],
        );
        const seq = requeued.rows[0]?.seq;
        if (seq === undefined) return false;
        await client.query(
          `INSERT INTO ${heads} (scope, lane, seq, due) VALUES ($1, $2, $3, $4) ON CONFLICT (scope, lane) DO NOTHING`,
          [scope, lane, seq, now],
        );
        return true;
      });
    },
    async nextDueAt() {
      const result = await database.query<{ due: number | null }>(
        `SELECT min(due) AS due FROM ${heads} WHERE scope = $1`,
        [scope],
      );
      return result.rows[0]?.due ?? undefined;
    },
    async counts(options = {}) {
      const result = await database.query<{
        pending: number;
        scheduled: number;
        in_flight: number;
        parked: number;
      }>(
        `SELECT
           count(*) FILTER (WHERE state = 'pending' AND claimed_by IS NULL AND NOT (attempts = 0 AND available_at > $1))::int AS pending,
           count(*) FILTER (WHERE state = 'pending' AND claimed_by IS NULL AND attempts = 0 AND available_at > $1)::int AS scheduled,
           count(*) FILTER (WHERE state = 'pending' AND claimed_by IS NOT NULL)::int AS in_flight,
           count(*) FILTER (WHERE state = 'parked')::int AS parked
         FROM ${outboxTable} WHERE scope = $2`,
        [options.now ?? Date.now(), scope],
      );
      const row = result.rows[0];
      return {
        pending: row?.pending ?? 0,
        scheduled: row?.scheduled ?? 0,
        inFlight: row?.in_flight ?? 0,
        parked: row?.parked ?? 0,
      };
    },
  };

  return { sessions, outbox };
}

/** Forgets delivered ids (of every storage of the deployment) older than `before` (epoch ms). */
export async function pruneDelivered(
  database: PostgresDatabase,
  tables: StorageTables,
  before: number,
): Promise<number> {
  const result = await database.query(`DELETE FROM ${tables.delivered} WHERE delivered_at < $1`, [before]);
  return result.rowCount ?? 0;
}

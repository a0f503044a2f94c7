// The in-process support system's records in PostgreSQL, run by one instance at a time.
import type { SupportRecord, SupportRecordsStore } from '@handoff/core';
import type { PostgresDatabase } from './postgres-database.js';
import type { TableNames } from './postgres-schema.js';

/** How long a claim of the in-process system lasts without renewal (a killed owner's, too). */
const claimMs = 6_000;
/** The database's clock in epoch ms: instances' clocks may differ, the server's is one. */
export const serverNowMs = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

/**
 * The in-process system's records: a row per user and conversation and one for the id counters, a
 * change written in one transaction. The records change in one process only, so a running
 * instance claims the system (a row it renews while it runs) and a second one refuses to start.
 */
export function createPostgresSupportRecordsStore(
  database: PostgresDatabase,
  settings: { tables: TableNames; instance: string },
): SupportRecordsStore {
  const { supportUsers, supportConversations, supportCounters, supportOwner } = settings.tables;
  let renewal: ReturnType<typeof setInterval> | undefined;
  /** Takes (or renews) the claim; answers who holds it now. */
  const takeClaim = async () => {
    const result = await database.query<{ owner: string }>(
      `INSERT INTO ${supportOwner} (id, owner, until) VALUES (1, $1, ${serverNowMs} + $2)
       ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE ${supportOwner}.owner = excluded.owner OR ${supportOwner}.until <= ${serverNowMs}
       RETURNING owner`,
      [settings.instance, claimMs],
    );
    if (result.rows[0] !== undefined) return settings.instance;
    const held = await database.query<{ owner: string }>(`SELECT owner FROM ${supportOwner} WHERE id = 1`);
    return held.rows[0]?.owner;
  };
  return {
    async load() {
      const [users, conversations, counters] = await Promise.all([
        database.query<{ data: string }>(`SELECT data FROM ${supportUsers}`),
        database.query<{ data: string }>(`SELECT data FROM ${supportConversations}`),
        database.query<{ data: string }>(`SELECT data FROM ${supportCounters} WHERE id = 1`),
      ]);
      const saved = counters.rows[0];
      if (saved === undefined) return undefined;
      return {
        users: users.rows.map((row) => JSON.parse(row.data) as SupportRecord),
        conversations: conversations.rows.map((row) => JSON.parse(row.data) as SupportRecord),
        counters: JSON.parse(saved.data) as unknown,
      };
    },
    persistence: {
      commit: (change) =>
        database.transaction(async (client) => {
          const upsert = (table: string, records: readonly SupportRecord[]) =>
            records.length === 0
              ? undefined
              : client.query(
                  `INSERT INTO ${table} (id, data) SELECT * FROM unnest($1::text[], $2::text[])
                   ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
                  [records.map((record) => record.id), records.map((record) => JSON.stringify(record))],
                );
          await upsert(supportUsers, change.users);
          await upsert(supportConversations, change.conversations);
          await client.query(
            `INSERT INTO ${supportCounters} (id, data) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
            [JSON.stringify(change.counters)],
          );
        }),
    },
    async claim() {
      // A killed owner's claim runs out within claimMs: a restart waits for it; a live owner keeps it.
      const deadline = Date.now() + claimMs + 1_000;
      for (;;) {
        const owner = await takeClaim();
        if (owner === settings.instance) break;
        if (owner !== undefined && Date.now() > deadline) {
          throw new Error(
            `another instance (${owner}) runs the in-process support system on this database; it lives in one process`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      renewal = setInterval(() => {
        void takeClaim().catch(() => undefined);
      }, claimMs / 3);
      renewal.unref();
    },
    async release() {
      if (renewal !== undefined) clearInterval(renewal);
      renewal = undefined;
      await database
        .query(`DELETE FROM ${supportOwner} WHERE id = 1 AND owner = $1`, [settings.instance])
        .catch(() => undefined);
    },
  };
}

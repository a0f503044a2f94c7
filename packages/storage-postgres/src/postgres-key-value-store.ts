// A string per key in PostgreSQL, answered for a while after it was written: idempotency, bot state.
import type { PostgresDatabase } from './postgres-database.js';

/** Strings by key in `table`, each answered `retentionMs` after it was last written; `prune` drops older ones. */
export function createPostgresKeyValueStore(
  database: PostgresDatabase,
  settings: { table: string; retentionMs: number },
) {
  const { table, retentionMs } = settings;
  return {
    async get(key: string) {
      const result = await database.query<{ value: string }>(
        `SELECT value FROM ${table} WHERE key = $1 AND updated_at > $2`,
        [key, Date.now() - retentionMs],
      );
      return result.rows[0]?.value;
    },
    async put(key: string, value: string) {
      await database.query(
        `INSERT INTO ${table} (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [key, value, Date.now()],
      );
    },
    async prune(now = Date.now()) {
      const result = await database.query(`DELETE FROM ${table} WHERE updated_at <= $1`, [now - retentionMs]);
      return result.rowCount ?? 0;
    },
  };
}

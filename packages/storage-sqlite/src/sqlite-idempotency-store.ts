// Idempotency records in SQLite, each answered for a day after it was stored.
import type { IdempotencyStore } from '@handoff/core';
import type { SqliteDatabase } from './sqlite-database.js';

/** Channel answers by key in the SQLite file; `prune` drops those older than `retentionMs`. */
export function createSqliteIdempotencyStore(
  database: SqliteDatabase,
  settings: { retentionMs: number },
): IdempotencyStore & { prune(now?: number): number } {
  const statements = {
    get: database.prepare<[string, number], { response: string }>(
      'SELECT response FROM idempotency WHERE key = ? AND created_at > ?',
    ),
    put: database.prepare(
      'INSERT INTO idempotency (key, response, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET response = excluded.response',
    ),
    prune: database.prepare('DELETE FROM idempotency WHERE created_at <= ?'),
  };
  return {
    async get(key) {
      return statements.get.get(key, Date.now() - settings.retentionMs)?.response;
    },
    async put(key, response) {
      statements.put.run(key, response, Date.now());
    },
    prune: (now = Date.now()) => statements.prune.run(now - settings.retentionMs).changes,
  };
}

// What bots keep between turns, in SQLite, kept for a while after the last turn.
import type { BotStateStore } from '@handoff/core';
import type { SqliteDatabase } from './sqlite-database.js';

/** Bot state by key in the SQLite file; `prune` drops what was not written for `retentionMs`. */
export function createSqliteBotStateStore(
  database: SqliteDatabase,
  settings: { retentionMs: number },
): BotStateStore & { prune(now?: number): number } {
  const statements = {
    get: database.prepare<[string], { data: string }>('SELECT data FROM bot_state WHERE key = ?'),
    put: database.prepare(
      'INSERT INTO bot_state (key, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
    ),
    prune: database.prepare('DELETE FROM bot_state WHERE updated_at <= ?'),
  };
  return {
    async get(key) {
      return statements.get.get(key)?.data;
    },
    async put(key, value) {
      statements.put.run(key, value, Date.now());
    },
    prune: (now = Date.now()) => statements.prune.run(now - settings.retentionMs).changes,
  };
}

// The mailbox in SQLite: a row per message and user, numbered by the table's row id.
import type { Mailbox, OutboundMessage } from '@handoff/core';
import type { SqliteDatabase } from './sqlite-database.js';

/** Every user's messages in the SQLite file, numbered by one counter for all users. */
export function createSqliteMailbox(database: SqliteDatabase): Mailbox {
  const statements = {
    insert: database.prepare(
      'INSERT INTO mailbox (user_key, message_id, data, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_key, message_id) DO NOTHING',
    ),
    find: database.prepare<[string, string], { seq: number }>(
      'SELECT seq FROM mailbox WHERE user_key = ? AND message_id = ?',
    ),
    after: database.prepare<[string, number, number], { seq: number; data: string }>(
      'SELECT seq, data FROM mailbox WHERE user_key = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
  };
  return {
    async append(userKey, message: OutboundMessage) {
      const result = statements.insert.run(userKey, message.id, JSON.stringify(message), Date.now());
      if (result.changes === 1) return { sequence: Number(result.lastInsertRowid), message, fresh: true };
      const existing = statements.find.get(userKey, message.id);
      return { sequence: existing?.seq ?? 0, message, fresh: false };
    },
    async after(userKey, sequence, limit = 500) {
      return statements.after
        .all(userKey, sequence, limit)
        .map((row) => ({ sequence: row.seq, message: JSON.parse(row.data) as OutboundMessage }));
    },
  };
}

// The mailbox in PostgreSQL: a row per message and user, numbered by one sequence for all users.
import type { Mailbox, OutboundMessage } from '@handoff/core';
import type { PostgresDatabase } from './postgres-database.js';

/**
 * Every user's messages, numbered by the table's identity. An append holds its user's advisory
 * lock until it commits, so a user's messages are numbered in commit order: a reader that has
 * seen sequence n never finds a smaller one appear later.
 */
export function createPostgresMailbox(
  database: PostgresDatabase,
  settings: { table: string; lockNamespace: string },
): Mailbox & { prune(before: number): Promise<number> } {
  const { table } = settings;
  return {
    append: (userKey, message: OutboundMessage) =>
      database.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          settings.lockNamespace + userKey,
        ]);
        const inserted = await client.query<{ seq: number }>(
          `INSERT INTO ${table} (user_key, message_id, data, created_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_key, message_id) DO NOTHING RETURNING seq`,
          [userKey, message.id, JSON.stringify(message), Date.now()],
        );
        const fresh = inserted.rows[0]?.seq;
        if (fresh !== undefined) return { sequence: fresh, message, fresh: true };
        const existing = await client.query<{ seq: number }>(
          `SELECT seq FROM ${table} WHERE user_key = $1 AND message_id = $2`,
          [userKey, message.id],
        );
        return { sequence: existing.rows[0]?.seq ?? 0, message, fresh: false };
      }),
    async after(userKey, sequence, limit = 500) {
      const result = await database.query<{ seq: number; data: string }>(
        `SELECT seq, data FROM ${table} WHERE user_key = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [userKey, sequence, limit],
      );
      return result.rows.map((row) => ({
        sequence: row.seq,
        message: JSON.parse(row.data) as OutboundMessage,
      }));
    },
    async prune(before) {
      const result = await database.query(`DELETE FROM ${table} WHERE created_at < $1`, [before]);
      return result.rowCount ?? 0;
    },
  };
}

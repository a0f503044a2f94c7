// Chatbot configurations in PostgreSQL: a row per chatbot with its revision, changes over NOTIFY.
import type { ChatbotChange, ChatbotChangeListener, ChatbotRecord, ChatbotStore } from '@handoff/core';
import type { PostgresDatabase } from './postgres-database.js';

/**
 * Chatbots shared by every instance: a row each (revision, document), every write a
 * compare-and-set on the revision that notifies the change in the same statement (sent when it
 * commits). Watchers on every instance hear it at once; `resync` after the listening connection
 * was lost. Ids are listed in byte order (`COLLATE "C"`), whatever the database's collation.
 */
export function createPostgresChatbotStore(settings: {
  database: PostgresDatabase;
  table: string;
  /** The deployment's NOTIFY channel of chatbot changes. */
  channel: string;
}): ChatbotStore & { notified(payload: string): void; resync(): void } {
  const { database, table, channel } = settings;
  const listeners = new Set<ChatbotChangeListener>();
  const tell = (change: ChatbotChange) => {
    for (const listener of [...listeners]) listener(change);
  };
  const read = async (id: string): Promise<ChatbotRecord | undefined> => {
    const result = await database.query<ChatbotRecord>(
      `SELECT id, revision, document FROM ${table} WHERE id = $1`,
      [id],
    );
    return result.rows[0];
  };
  return {
    notified(payload) {
      try {
        tell(JSON.parse(payload) as ChatbotChange);
      } catch {
        tell({ type: 'resync' });
      }
    },
    resync() {
      if (listeners.size > 0) tell({ type: 'resync' });
    },
    get: read,
    async list(options = {}) {
      const result = await database.query<ChatbotRecord>(
        `SELECT id, revision, document FROM ${table} WHERE $1::text IS NULL OR id > $1 ORDER BY id LIMIT $2`,
        [options.after ?? null, options.limit ?? null],
      );
      return result.rows;
    },
    async put(id, document, expectedRevision) {
      const revision = expectedRevision + 1;
      const change = JSON.stringify({ type: 'written', id, revision });
      const result =
        expectedRevision === 0
          ? await database.query(
              `WITH written AS (
                 INSERT INTO ${table} (id, revision, document) VALUES ($1, 1, $2) ON CONFLICT (id) DO NOTHING RETURNING id
               )
               SELECT pg_notify($3, $4) FROM written`,
              [id, document, channel, change],
            )
          : await database.query(
              `WITH written AS (
                 UPDATE ${table} SET document = $2, revision = revision + 1 WHERE id = $1 AND revision = $5 RETURNING id
               )
               SELECT pg_notify($3, $4) FROM written`,
              [id, document, channel, change, expectedRevision],
            );
      if (result.rowCount === 1) return { written: true, record: { id, revision, document } };
      return { written: false, current: await read(id) };
    },
    async delete(id, expectedRevision) {
      const result = await database.query(
        `WITH gone AS (
           DELETE FROM ${table} WHERE id = $1 AND ($2::bigint IS NULL OR revision = $2) RETURNING id
         )
         SELECT pg_notify($3, $4) FROM gone`,
        [id, expectedRevision ?? null, channel, JSON.stringify({ type: 'deleted', id })],
      );
      return result.rowCount === 1;
    },
    async watch(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

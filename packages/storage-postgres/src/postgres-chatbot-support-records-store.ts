// The in-process support system's records of one chatbot in PostgreSQL, rows keyed by the chatbot.
import type { ChatbotSupportRecordsStore, SupportRecord } from '@handoff/core';
import type { PostgresDatabase } from './postgres-database.js';
import type { TableNames } from './postgres-schema.js';

/**
 * One chatbot's in-process system records, in the tables every chatbot shares (apart from the
 * default system's): a row per user and conversation and one for the id counters, each keyed by
 * the chatbot's id. A change is serialized whole, then written in one transaction; `load` reads
 * in one statement, so it sees one change whole or not at all.
 */
export function createPostgresChatbotSupportRecordsStore(
  database: PostgresDatabase,
  settings: { tables: TableNames; chatbotId: string },
): ChatbotSupportRecordsStore {
  const { chatbotSupportUsers, chatbotSupportConversations, chatbotSupportCounters } = settings.tables;
  const { chatbotId } = settings;
  return {
    async load() {
      const result = await database.query<{ kind: 'counters' | 'user' | 'conversation'; data: string }>(
        `SELECT 'counters' AS kind, data FROM ${chatbotSupportCounters} WHERE chatbot_id = $1
         UNION ALL SELECT 'user', data FROM ${chatbotSupportUsers} WHERE chatbot_id = $1
         UNION ALL SELECT 'conversation', data FROM ${chatbotSupportConversations} WHERE chatbot_id = $1`,
        [chatbotId],
      );
      const counters = result.rows.find((row) => row.kind === 'counters');
      if (counters === undefined) return undefined;
      const recordsOf = (kind: 'user' | 'conversation') =>
        result.rows.filter((row) => row.kind === kind).map((row) => JSON.parse(row.data) as SupportRecord);
      return {
        users: recordsOf('user'),
        conversations: recordsOf('conversation'),
        counters: JSON.parse(counters.data) as unknown,
      };
    },
    persistence: {
      async commit(change) {
        const rows = (records: readonly SupportRecord[]) =>
          [records.map((record) => record.id), records.map((record) => JSON.stringify(record))] as const;
        const users = rows(change.users);
        const conversations = rows(change.conversations);
        const counters = JSON.stringify(change.counters);
        await database.transaction(async (client) => {
          const upsert = async (table: string, [ids, data]: readonly [string[], string[]]) => {
            if (ids.length === 0) return;
            await client.query(
              `INSERT INTO ${table} (chatbot_id, id, data)
               SELECT $1, * FROM unnest($2::text[], $3::text[])
               ON CONFLICT (chatbot_id, id) DO UPDATE SET data = excluded.data`,
              [chatbotId, ids, data],
            );
          };
          await upsert(chatbotSupportUsers, users);
          await upsert(chatbotSupportConversations, conversations);
          await client.query(
            `INSERT INTO ${chatbotSupportCounters} (chatbot_id, data) VALUES ($1, $2)
             ON CONFLICT (chatbot_id) DO UPDATE SET data = excluded.data`,
            [chatbotId, counters],
          );
        });
      },
    },
  };
}

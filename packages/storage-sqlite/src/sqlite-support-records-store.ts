// The in-process support system's records in SQLite: a row per record, a change per transaction.
import type { SupportRecord, SupportRecords, SupportRecordsStore } from '@handoff/core';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * The in-process system's records in the SQLite file: a row per user and per
 * conversation and one for the id counters, a change written in one transaction. One process owns
 * the file, so claiming is free. A file from before these tables is read from its saved snapshot.
 */
export function createSqliteSupportRecordsStore(database: SqliteDatabase): SupportRecordsStore {
  const statements = {
    users: database.prepare<[], { data: string }>('SELECT data FROM memory_support_users'),
    conversations: database.prepare<[], { data: string }>('SELECT data FROM memory_support_conversations'),
    counters: database.prepare<[], { data: string }>('SELECT data FROM memory_support_counters WHERE id = 1'),
    snapshot: database.prepare<[], { data: string }>('SELECT data FROM memory_support_state WHERE id = 1'),
    putUser: database.prepare(
      'INSERT INTO memory_support_users (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
    ),
    putConversation: database.prepare(
      'INSERT INTO memory_support_conversations (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
    ),
    putCounters: database.prepare(
      'INSERT INTO memory_support_counters (id, data) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
    ),
  };
  const commit = database.transaction((change: SupportRecords) => {
    for (const user of change.users) statements.putUser.run(user.id, JSON.stringify(user));
    for (const conversation of change.conversations)
      statements.putConversation.run(conversation.id, JSON.stringify(conversation));
    statements.putCounters.run(JSON.stringify(change.counters));
  });
  return {
    async load() {
      const counters = statements.counters.get();
      if (counters === undefined) {
        const snapshot = statements.snapshot.get();
        return snapshot === undefined ? undefined : (JSON.parse(snapshot.data) as SupportRecords);
      }
      return {
        users: statements.users.all().map((row) => JSON.parse(row.data) as SupportRecord),
        conversations: statements.conversations.all().map((row) => JSON.parse(row.data) as SupportRecord),
        counters: JSON.parse(counters.data) as unknown,
      };
    },
    persistence: { commit: (change) => commit(change) },
    async claim() {},
    async release() {},
  };
}

// Chatbot configurations in SQLite: a row per chatbot with its revision; watchers in the process.
import type { ChatbotChange, ChatbotChangeListener, ChatbotStore } from '@handoff/core';
import type { SqliteDatabase } from './sqlite-database.js';

interface ChatbotRow {
  id: string;
  revision: number;
  document: string;
}

/**
 * Chatbots in the SQLite file, each write a compare-and-set on the revision. One process owns the
 * file, so watchers are this process's and are told after each change.
 */
export function createSqliteChatbotStore(database: SqliteDatabase): ChatbotStore {
  const statements = {
    get: database.prepare<[string], ChatbotRow>('SELECT id, revision, document FROM chatbots WHERE id = ?'),
    list: database.prepare<[string, number], ChatbotRow>(
      'SELECT id, revision, document FROM chatbots WHERE id > ? ORDER BY id LIMIT ?',
    ),
    insert: database.prepare<[string, string]>(
      'INSERT INTO chatbots (id, revision, document) VALUES (?, 1, ?) ON CONFLICT (id) DO NOTHING',
    ),
    update: database.prepare<[string, string, number]>(
      'UPDATE chatbots SET document = ?, revision = revision + 1 WHERE id = ? AND revision = ?',
    ),
    delete: database.prepare<[string]>('DELETE FROM chatbots WHERE id = ?'),
    deleteAt: database.prepare<[string, number]>('DELETE FROM chatbots WHERE id = ? AND revision = ?'),
  };
  const listeners = new Set<ChatbotChangeListener>();
  const tell = (change: ChatbotChange) => {
    for (const listener of [...listeners]) listener(change);
  };
  return {
    async get(id) {
      return statements.get.get(id);
    },
    async list(options = {}) {
      return statements.list.all(options.after ?? '', options.limit ?? -1);
    },
    async put(id, document, expectedRevision) {
      const changes =
        expectedRevision === 0
          ? statements.insert.run(id, document).changes
          : statements.update.run(document, id, expectedRevision).changes;
      if (changes === 0) return { written: false, current: statements.get.get(id) };
      const record = { id, revision: expectedRevision + 1, document };
      tell({ type: 'written', id, revision: record.revision });
      return { written: true, record };
    },
    async delete(id, expectedRevision) {
      const { changes } =
        expectedRevision === undefined
          ? statements.delete.run(id)
          : statements.deleteAt.run(id, expectedRevision);
      if (changes === 0) return false;
      tell({ type: 'deleted', id });
      return true;
    },
    async watch(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

// Uploaded files in SQLite, next to the sessions: one file to back up.
import { type FileStore, storedFileOf } from '@handoff/core';
import type { SqliteDatabase } from './sqlite-database.js';

interface FileRow {
  id: string;
  content_type: string;
  name: string;
  size: number;
  bytes: Buffer;
  created_at: number;
}

/** Files in the SQLite file; `prune` drops those older than `retentionMs`. */
export function createSqliteFileStore(
  database: SqliteDatabase,
  settings: { retentionMs: number },
): FileStore & { prune(now?: number): number } {
  const statements = {
    insert: database.prepare(
      'INSERT INTO files (id, content_type, name, size, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    get: database.prepare<[string], FileRow>('SELECT * FROM files WHERE id = ?'),
    prune: database.prepare('DELETE FROM files WHERE created_at < ?'),
  };
  return {
    async put({ contentType, name, bytes }) {
      const file = storedFileOf({ contentType, name, bytes });
      statements.insert.run(file.id, contentType, name, file.size, Buffer.from(bytes), file.createdAt);
      return file;
    },
    async get(id) {
      const row = statements.get.get(id);
      if (row === undefined) return undefined;
      return {
        id: row.id,
        contentType: row.content_type,
        name: row.name,
        size: row.size,
        createdAt: row.created_at,
        bytes: new Uint8Array(row.bytes),
      };
    },
    prune: (now = Date.now()) => statements.prune.run(now - settings.retentionMs).changes,
  };
}

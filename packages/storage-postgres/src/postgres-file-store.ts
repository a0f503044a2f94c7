// Uploaded files in PostgreSQL: the bytes in a bytea column beside their details.
import { type FileStore, storedFileOf } from '@handoff/core';
import type { PostgresDatabase } from './postgres-database.js';

interface FileRow {
  id: string;
  content_type: string;
  name: string;
  size: number;
  bytes: Buffer;
  created_at: number;
}

/** Files in `table`; `prune` drops those older than `retentionMs`. */
export function createPostgresFileStore(
  database: PostgresDatabase,
  settings: { table: string; retentionMs: number },
): FileStore & { prune(now?: number): Promise<number> } {
  const { table } = settings;
  return {
    async put({ contentType, name, bytes }) {
      const file = storedFileOf({ contentType, name, bytes });
      await database.query(
        `INSERT INTO ${table} (id, content_type, name, size, bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [file.id, contentType, name, file.size, Buffer.from(bytes), file.createdAt],
      );
      return file;
    },
    async get(id) {
      const result = await database.query<FileRow>(`SELECT * FROM ${table} WHERE id = $1`, [id]);
      const row = result.rows[0];
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
    async prune(now = Date.now()) {
      const result = await database.query(`DELETE FROM ${table} WHERE created_at < $1`, [
        now - settings.retentionMs,
      ]);
      return result.rowCount ?? 0;
    },
  };
}

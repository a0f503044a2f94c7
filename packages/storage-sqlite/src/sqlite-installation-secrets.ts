// Secrets generated once per installation, kept in SQLite.
import { randomBytes } from 'node:crypto';
import type { SqliteDatabase } from './sqlite-database.js';

/** A secret per name: generated at random when first asked for, then always the same one. */
export function createSqliteInstallationSecrets(database: SqliteDatabase): (name: string) => Promise<string> {
  const statements = {
    keep: database.prepare(
      'INSERT INTO installation_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
    ),
    read: database.prepare<[string], { value: string }>(
      'SELECT value FROM installation_secrets WHERE name = ?',
    ),
  };
  return async (name) => {
    statements.keep.run(name, randomBytes(24).toString('base64url'));
    const kept = statements.read.get(name)?.value;
    if (kept === undefined) throw new Error(`the installation secret ${name} could not be kept`);
    return kept;
  };
}

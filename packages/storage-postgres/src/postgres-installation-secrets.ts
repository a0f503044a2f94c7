// Secrets generated once per installation, kept in PostgreSQL: the first instance to ask sets it.
import { randomBytes } from 'node:crypto';
import { StorageUnavailableError } from '@handoff/core';
import type { PostgresDatabase } from './postgres-database.js';

/** A secret per name: the first instance to ask generates it, every other one reads it. */
export function createPostgresInstallationSecrets(
  database: PostgresDatabase,
  settings: { table: string },
): (name: string) => Promise<string> {
  return async (name) => {
    await database.query(
      `INSERT INTO ${settings.table} (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
      [name, randomBytes(24).toString('base64url')],
    );
    // A statement of its own: it sees the row whichever instance's insert won.
    const kept = await database.query<{ value: string }>(
      `SELECT value FROM ${settings.table} WHERE name = $1`,
      [name],
    );
    const value = kept.rows[0]?.value;
    if (value === undefined)
      throw new StorageUnavailableError(`the installation secret ${name} could not be kept`);
    return value;
  };
}

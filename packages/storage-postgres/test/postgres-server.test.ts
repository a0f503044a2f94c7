import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresServerMissing } from '../src/testing/postgres-binaries.js';
import { type PostgresServer, startPostgresServer } from '../src/testing/postgres-server.js';
import { describeWithPostgres } from './with-postgres.js';

async function query(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

describeWithPostgres('startPostgresServer', () => {
  let server: PostgresServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('starts a server on 127.0.0.1 that answers, run by a user other than root', async () => {
    server = await startPostgresServer();
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    const [row] = await query(server.url, 'SELECT current_user AS name, 1 + 1 AS two');
    expect(row).toEqual({ name: 'postgres', two: 2 });
    if (process.getuid?.() === 0) expect(statSync(join(server.directory, 'data')).uid).not.toBe(0);
  });

  it('keeps what was committed through a SIGKILL and a restart', async () => {
    server = await startPostgresServer();
    await query(server.url, 'CREATE TABLE kept (value text)');
    await query(server.url, "INSERT INTO kept VALUES ('v')");
    await server.kill();
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow();
    await server.restart();
    expect(await query(server.url, 'SELECT value FROM kept')).toEqual([{ value: 'v' }]);
  });

  it('removes its folder when stopped', async () => {
    const started = await startPostgresServer();
    expect(existsSync(started.directory)).toBe(true);
    await started.stop();
    expect(existsSync(started.directory)).toBe(false);
    await expect(query(started.url, 'SELECT 1')).rejects.toThrow();
  });
});

describe('postgresServerMissing', () => {
  it('names what to install, or nothing when the server is there', () => {
    const missing = postgresServerMissing();
    if (missing !== undefined) expect(missing).toContain('apt-get install postgresql');
    else expect(missing).toBeUndefined();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeHandoffStorage } from '@handoff/conformance';
import type { HandoffStorage } from '@handoff/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase, type SqliteDatabase } from '../src/sqlite-database.js';
import { createSqliteStorage } from '../src/sqlite-storage.js';

const directory = mkdtempSync(join(tmpdir(), 'handoff-sqlite-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const files = new Map<HandoffStorage, { path: string; database: SqliteDatabase }>();
let counter = 0;

const openAt = (path: string) => {
  const database = openSqliteDatabase(path);
  const storage = createSqliteStorage(database);
  files.set(storage, { path, database });
  return storage;
};

describeHandoffStorage({
  name: 'SQLite storage',
  create: () => openAt(join(directory, `storage-${++counter}.db`)),
  close: (storage) => {
    const file = files.get(storage);
    if (file?.database.open) file.database.close();
  },
  reopen: (storage) => {
    const file = files.get(storage);
    if (file === undefined) throw new Error('unknown storage');
    file.database.close();
    return openAt(file.path);
  },
});

describe('SQLite storage: a restarted single process', () => {
  it('delivers what a killed process held at once, flagged as possibly delivered', async () => {
    const path = join(directory, 'released.db');
    const storage = openAt(path);
    await storage.outbox.enqueue([{ id: 'x', lane: 'a', kind: 'test', payload: null }], { now: 0 });
    await storage.outbox.claim({ now: 1, limit: 1, leaseMs: 60_000, owner: 'killed' });
    files.get(storage)?.database.close();
    const restarted = openAt(path);
    expect(restarted.releaseClaims()).toBe(1);
    const [again] = await restarted.outbox.claim({ now: 2, limit: 1, leaseMs: 60_000, owner: 'new' });
    expect(again).toMatchObject({ id: 'x', claims: 2 });
    files.get(restarted)?.database.close();
  });
});

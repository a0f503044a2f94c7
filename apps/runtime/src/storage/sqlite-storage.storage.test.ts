import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeHandoffStorage } from '@handoff/conformance';
import type { HandoffStorage } from '@handoff/core';
import { afterAll } from 'vitest';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite-database.js';
import { createSqliteStorage } from './sqlite-storage.js';

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

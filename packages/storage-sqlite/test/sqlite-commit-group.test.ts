// Group commit: writes asked for in one event-loop turn share one transaction, each undone alone
// when it fails, and none resolves before its transaction committed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommitGroup } from '../src/sqlite-commit-group.js';
import { openSqliteDatabase, type SqliteDatabase } from '../src/sqlite-database.js';

const opened: Array<{ database: SqliteDatabase; directory: string }> = [];
afterEach(() => {
  for (const { database, directory } of opened.splice(0)) {
    database.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

/** A database with a table, and a count of the transactions it began (savepoints not counted). */
function setup() {
  const directory = mkdtempSync(join(tmpdir(), 'handoff-commit-group-'));
  const path = join(directory, 'test.db');
  const database = openSqliteDatabase(path);
  opened.push({ database, directory });
  database.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)');
  const transaction = database.transaction.bind(database);
  const counted = { transactions: 0 };
  database.transaction = ((work: (...args: never[]) => unknown) => {
    const wrapped = transaction(work);
    return (...args: never[]) => {
      if (!database.inTransaction) counted.transactions += 1;
      return wrapped(...args);
    };
  }) as typeof database.transaction;
  const insert = database.prepare('INSERT INTO notes (text) VALUES (?)');
  const reader = openSqliteDatabase(path);
  opened.push({ database: reader, directory });
  const committed = () => reader.prepare('SELECT text FROM notes ORDER BY id').pluck().all();
  return { group: createCommitGroup(database), insert, counted, committed };
}

describe('the commit group', () => {
  it('commits the writes of one event-loop turn in one transaction, in the order asked', async () => {
    const { group, insert, counted, committed } = setup();
    const results = await Promise.all(
      ['one', 'two', 'three'].map((text) => group.run(() => insert.run(text).changes)),
    );
    expect(results).toEqual([1, 1, 1]);
    expect(counted.transactions).toBe(1);
    expect(committed()).toEqual(['one', 'two', 'three']);
    await group.run(() => insert.run('four'));
    expect(counted.transactions).toBe(2);
  });

  it('resolves a write only once another connection can read it', async () => {
    const { group, insert, committed } = setup();
    const write = group.run(() => insert.run('durable'));
    expect(committed()).toEqual([]);
    await write;
    expect(committed()).toEqual(['durable']);
  });

  it('undoes and rejects a failing write alone; the others of its group commit', async () => {
    const { group, insert, committed } = setup();
    const outcomes = await Promise.allSettled([
      group.run(() => insert.run('kept')),
      group.run(() => {
        insert.run('undone with its write');
        insert.run('kept'); // UNIQUE: the whole write fails
      }),
      group.run(() => insert.run('also kept')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed()).toEqual(['kept', 'also kept']);
  });
});

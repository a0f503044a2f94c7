import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeHandoffStores } from '@handoff/conformance';
import type { HandoffStores } from '@handoff/core';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStores } from '../src/sqlite-stores.js';

const directory = mkdtempSync(join(tmpdir(), 'handoff-sqlite-stores-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const paths = new Map<HandoffStores, string>();
let counter = 0;
const openAt = (path: string) => {
  const stores = createSqliteStores({ path });
  paths.set(stores, path);
  return stores;
};

describeHandoffStores({
  name: 'SQLite stores',
  create: () => openAt(join(directory, `stores-${++counter}.db`)),
  // A restarted process: the file is closed, then opened again.
  reopen: async (stores) => {
    const path = paths.get(stores);
    if (path === undefined) throw new Error('unknown stores');
    await stores.close();
    return openAt(path);
  },
});

describe('SQLite stores: the files', () => {
  it('creates the folder, and keeps the bot-host engine’s storage in a file beside the main one', async () => {
    const path = join(directory, 'nested', 'folder', 'handoff.db');
    const stores = openAt(path);
    expect(existsSync(path)).toBe(true);
    await stores.botHostStorage().outbox.enqueue([{ id: 'x', lane: 'a', kind: 'test', payload: null }]);
    expect(existsSync(join(directory, 'nested', 'folder', 'handoff-agent-bot.db'))).toBe(true);
    await stores.close();
  });

  it('keeps a chatbot’s in-process system records in that chatbot’s file, in the main file’s tables', async () => {
    const path = join(directory, 'records', 'handoff.db');
    const stores = openAt(path);
    await stores.chatbotSupportRecords('shop').persistence.commit({
      users: [{ id: 'u1' }],
      conversations: [{ id: 'c1' }],
      counters: { user: 1 },
    });
    await stores.close();
    const file = new Database(
      join(directory, 'records', `handoff-bot-${Buffer.from('shop').toString('hex')}.db`),
    );
    expect(file.prepare('SELECT id, data FROM memory_support_users').all()).toEqual([
      { id: 'u1', data: '{"id":"u1"}' },
    ]);
    expect(file.prepare('SELECT data FROM memory_support_counters').all()).toEqual([{ data: '{"user":1}' }]);
    file.close();
    const main = new Database(path);
    expect(main.prepare('SELECT count(*) AS n FROM memory_support_users').get()).toEqual({ n: 0 });
    main.close();
  });

  it('reads the in-process system’s records from a file that has only its older snapshot', async () => {
    const path = join(directory, 'snapshot.db');
    await openAt(path).close();
    const file = new Database(path);
    const state = { users: [{ id: 'u1' }], conversations: [{ id: 'c1' }], counters: { user: 1 } };
    file.prepare('INSERT INTO memory_support_state (id, data) VALUES (1, ?)').run(JSON.stringify(state));
    file.close();
    const stores = openAt(path);
    expect(await stores.supportRecords?.load()).toEqual(state);
    await stores.close();
  });

  it('closes twice without complaint', async () => {
    const stores = openAt(join(directory, 'twice.db'));
    stores.botHostStorage();
    await stores.close();
    await stores.close();
  });
});

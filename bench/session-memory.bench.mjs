// Bytes per idle session with 100,000 sessions: in the in-memory store (heap growth) and in
// SQLite (file growth). An idle session is what a user leaves after a greeting: a session that
// holds the bot conversation (one user message, one bot reply) in case a handoff follows.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInMemoryStorage } from '../packages/core/dist/index.js';
import { createSqliteStores } from '../packages/storage-sqlite/dist/index.js';
import { formatNumber, printTable, report } from './lib/bench-kit.mjs';

const count = Number(process.env.BENCH_SESSIONS ?? 100_000);

function idleSession(index) {
  const now = new Date(1_795_000_000_000 + index * 1_000).toISOString();
  const key = `web/user-${index}`;
  return {
    key,
    channelId: 'web',
    userId: `user-${index}`,
    sessionId: crypto.randomUUID(),
    mode: 'bot',
    transcript: [
      { id: `m-${index}`, author: 'user', text: 'hello', createdAt: now },
      {
        id: `m-${index}:reply:0`,
        author: 'bot',
        text: 'Hello! I can check an order status, start a refund or reset your password.',
        createdAt: now,
      },
    ],
    droppedMessages: 0,
    unfinishedSkills: [],
    recentMessageIds: [`m-${index}`],
    createdAt: now,
    updatedAt: now,
  };
}

async function fill(storage) {
  for (let index = 0; index < count; index += 1) {
    const session = idleSession(index);
    await storage.sessions.compareAndSet(session.key, undefined, session, []);
  }
}

const heap = () => {
  for (let round = 0; round < 4; round += 1) globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};

if (globalThis.gc === undefined) throw new Error('run with node --expose-gc (pnpm bench does)');
const before = heap();
const memory = createInMemoryStorage();
await fill(memory);
const inMemory = (heap() - before) / count;
if (memory.sessions.size !== count) throw new Error('sessions missing');

const directory = mkdtempSync(join(tmpdir(), 'handoff-bench-sessions-'));
const path = join(directory, 'sessions.db');
const stores = createSqliteStores({ path });
const empty = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
await fill(stores.storage);
await stores.close();
const sqlite = (statSync(path).size - empty) / count;
rmSync(directory, { recursive: true, force: true });

const sample = JSON.stringify(idleSession(1)).length;
printTable(
  ['store', 'bytes per idle session', `${formatNumber(count)} sessions`],
  [
    ['in memory (heap)', formatNumber(inMemory), `${formatNumber((inMemory * count) / 1024 / 1024, 1)} MiB`],
    ['SQLite (file)', formatNumber(sqlite), `${formatNumber((sqlite * count) / 1024 / 1024, 1)} MiB`],
  ],
);
console.log(
  `(a session serialises to ${sample} bytes of JSON; figures vary a little with Node and SQLite versions)`,
);
const target = {
  name: 'at most 2 KB per idle in-memory session',
  met: inMemory <= 2_048,
  figure: Math.round(inMemory),
};
console.log(`target ${target.met ? 'met    ' : 'NOT met'} ${target.name}: ${formatNumber(inMemory)} bytes`);
report('session-memory', {
  kind: 'absolute (stable across machines of the same Node and SQLite versions)',
  sessions: count,
  bytesPerSession: { inMemory: Math.round(inMemory), sqlite: Math.round(sqlite), json: sample },
  targets: [target],
});

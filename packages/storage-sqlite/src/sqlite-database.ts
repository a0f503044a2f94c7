// The SQLite file behind the stores: opened in WAL mode, with every table they use.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

const schema = `
CREATE TABLE IF NOT EXISTS sessions (
  key TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  conversation_id TEXT,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_conversation ON sessions (conversation_id) WHERE conversation_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  lane TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  claims INTEGER NOT NULL DEFAULT 0,
  available_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_error TEXT,
  claimed_by TEXT,
  claim_until INTEGER,
  reason TEXT,
  parked_at INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_lanes ON outbox (state, lane, seq);

-- The head (lowest pending seq) of every lane with pending items: claims read only the heads.
CREATE TABLE IF NOT EXISTS outbox_heads (
  lane TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
-- Rebuilt at every open, so a file from before this table (or any drift) is put right.
DELETE FROM outbox_heads;
INSERT INTO outbox_heads (lane, seq) SELECT lane, MIN(seq) FROM outbox WHERE state = 'pending' GROUP BY lane;

CREATE TABLE IF NOT EXISTS outbox_delivered (
  id TEXT PRIMARY KEY,
  delivered_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS idempotency (
  key TEXT PRIMARY KEY,
  response TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS mailbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  user_key TEXT NOT NULL,
  message_id TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (user_key, message_id)
);

CREATE TABLE IF NOT EXISTS memory_support_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  data TEXT NOT NULL
);

-- The in-process support system, a row per record, written with every change.
CREATE TABLE IF NOT EXISTS memory_support_users (
  id TEXT PRIMARY KEY,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS memory_support_conversations (
  id TEXT PRIMARY KEY,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS memory_support_counters (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  data TEXT NOT NULL
);

-- What bots the runtime runs keep between turns (the demo bot's dialogues).
CREATE TABLE IF NOT EXISTS bot_state (
  key TEXT PRIMARY KEY,
  data TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Secrets generated once per installation (the in-process system's token and webhook secret).
CREATE TABLE IF NOT EXISTS installation_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The chatbots the runtime serves, as data: a configuration per id with its revision.
CREATE TABLE IF NOT EXISTS chatbots (
  id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  document TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS files (
  id TEXT PRIMARY KEY,
  content_type TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS files_created_at ON files (created_at);
`;

export interface SqliteDatabaseOptions {
  /** `normal` survives a killed process (the default); `full` also survives power loss, slower. */
  synchronous?: 'normal' | 'full';
}

/** Opens (creating if needed) the SQLite file, in WAL mode, with its tables. */
export function openSqliteDatabase(path: string, options: SqliteDatabaseOptions = {}): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.exec(schema);
  return database;
}

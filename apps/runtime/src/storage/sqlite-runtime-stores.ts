import { randomBytes } from 'node:crypto';
import type { OutboundMessage } from '@handoff/core';
import { createChannelHub } from '../channels/channel-hub.js';
import { createSqliteFileStore } from '../files/sqlite-file-store.js';
import type { Mailbox, RuntimeStores } from './runtime-stores.js';
import { openSqliteDatabase, type SqliteDatabase, type SqliteOptions } from './sqlite-database.js';
import { createSqliteMemorySupportStore } from './sqlite-memory-support-store.js';
import { createSqliteStorage } from './sqlite-storage.js';

const idempotencyRetentionMs = 24 * 60 * 60 * 1000;
/** A bot session's dialogue is kept this long after its last turn. */
const botStateRetentionMs = 30 * 24 * 60 * 60 * 1000;
/** Uploaded files are kept this long (agents open them from the support system meanwhile). */
const fileRetentionMs = 30 * 24 * 60 * 60 * 1000;

/** The runtime's stores in one SQLite file (the embedded default; survives restarts). */
export function createSqliteRuntimeStores(path: string, options: SqliteOptions = {}): RuntimeStores {
  const database = openSqliteDatabase(path, options);
  const storage = createSqliteStorage(database);
  // One runtime process owns the file: claims still held belong to a process that died.
  storage.releaseClaims();
  const files = createSqliteFileStore(database, { retentionMs: fileRetentionMs });
  const statements = {
    insertMail: database.prepare(
      'INSERT INTO mailbox (user_key, message_id, data, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_key, message_id) DO NOTHING',
    ),
    findMail: database.prepare<[string, string], { seq: number }>(
      'SELECT seq FROM mailbox WHERE user_key = ? AND message_id = ?',
    ),
    mailAfter: database.prepare<[string, number, number], { seq: number; data: string }>(
      'SELECT seq, data FROM mailbox WHERE user_key = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    getResponse: database.prepare<[string, number], { response: string }>(
      'SELECT response FROM idempotency WHERE key = ? AND created_at > ?',
    ),
    putResponse: database.prepare(
      'INSERT INTO idempotency (key, response, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET response = excluded.response',
    ),
    pruneResponses: database.prepare('DELETE FROM idempotency WHERE created_at <= ?'),
    getBotState: database.prepare<[string], { data: string }>('SELECT data FROM bot_state WHERE key = ?'),
    putBotState: database.prepare(
      'INSERT INTO bot_state (key, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
    ),
    pruneBotState: database.prepare('DELETE FROM bot_state WHERE updated_at <= ?'),
    keepSecret: database.prepare(
      'INSERT INTO installation_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
    ),
    readSecret: database.prepare<[string], { value: string }>(
      'SELECT value FROM installation_secrets WHERE name = ?',
    ),
  };

  const mailbox: Mailbox = {
    async append(userKey, message: OutboundMessage) {
      const result = statements.insertMail.run(userKey, message.id, JSON.stringify(message), Date.now());
      if (result.changes === 1) return { sequence: Number(result.lastInsertRowid), message, fresh: true };
      const existing = statements.findMail.get(userKey, message.id);
      return { sequence: existing?.seq ?? 0, message, fresh: false };
    },
    async after(userKey, sequence, limit = 500) {
      return statements.mailAfter
        .all(userKey, sequence, limit)
        .map((row) => ({ sequence: row.seq, message: JSON.parse(row.data) as OutboundMessage }));
    },
  };

  let agentBot: { database: SqliteDatabase; storage: ReturnType<typeof createSqliteStorage> } | undefined;
  const maintenance = setInterval(
    () => {
      storage.pruneDelivered();
      agentBot?.storage.pruneDelivered();
      statements.pruneResponses.run(Date.now() - idempotencyRetentionMs);
      statements.pruneBotState.run(Date.now() - botStateRetentionMs);
      files.prune();
    },
    60 * 60 * 1000,
  );
  maintenance.unref();

  return {
    storage,
    agentBotStorage() {
      if (agentBot === undefined) {
        // A file of its own next to the main one: `handoff.db` → `handoff-agent-bot.db`.
        const botPath = path === ':memory:' ? path : path.replace(/(\.db)?$/, '-agent-bot.db');
        const botDatabase = openSqliteDatabase(botPath, options);
        const botStorage = createSqliteStorage(botDatabase);
        botStorage.releaseClaims();
        agentBot = { database: botDatabase, storage: botStorage };
      }
      return agentBot.storage;
    },
    mailbox,
    files,
    idempotency: {
      async get(key) {
        return statements.getResponse.get(key, Date.now() - idempotencyRetentionMs)?.response;
      },
      async put(key, response) {
        statements.putResponse.run(key, response, Date.now());
      },
    },
    botState: {
      async get(key) {
        return statements.getBotState.get(key)?.data;
      },
      async put(key, value) {
        statements.putBotState.run(key, value, Date.now());
      },
    },
    memorySupport: createSqliteMemorySupportStore(database),
    async installationSecret(name) {
      statements.keepSecret.run(name, randomBytes(24).toString('base64url'));
      const kept = statements.readSecret.get(name)?.value;
      if (kept === undefined) throw new Error(`the installation secret ${name} could not be kept`);
      return kept;
    },
    hub: createChannelHub(),
    // One process owns this storage: every periodic task is its own.
    claimTurn: async () => true,
    async ping() {
      database.prepare('SELECT 1').get();
    },
    async close() {
      clearInterval(maintenance);
      if (agentBot?.database.open) agentBot.database.close();
      if (database.open) database.close();
    },
  };
}

// createPostgresStores: every store a host needs in PostgreSQL, shared by several instances.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type ChatbotSupportRecordsStore,
  type HandoffStorage,
  type HandoffStores,
  StorageUnavailableError,
} from '@handoff/core';
import { createPostgresChatbotStore } from './postgres-chatbot-store.js';
import { createPostgresChatbotSupportRecordsStore } from './postgres-chatbot-support-records-store.js';
import { connectionConfig, createPostgresPool, redactPostgresUrl } from './postgres-connection.js';
import { createPostgresDatabase, type PostgresDatabase } from './postgres-database.js';
import { createPostgresFileStore } from './postgres-file-store.js';
import { createPostgresInstallationSecrets } from './postgres-installation-secrets.js';
import { createPostgresKeyValueStore } from './postgres-key-value-store.js';
import { createPostgresListener } from './postgres-listener.js';
import { createPostgresLiveEventHub } from './postgres-live-event-hub.js';
import { createPostgresMailbox } from './postgres-mailbox.js';
import { checkIdentifier, migrate, type TableNames, tableNames } from './postgres-schema.js';
import { createPostgresStorage, pruneDelivered } from './postgres-storage.js';
import { createPostgresSupportRecordsStore, serverNowMs } from './postgres-support-records-store.js';

export interface PostgresStoresSettings {
  /** `postgres://[user[:password]@]host[:port]/database[?sslmode=…]`. Never logged. */
  url: string;
  /** Schema of the tables, created if missing. Default `public`. */
  schema?: string;
  /** Prefix of every table name, so several deployments can share one schema. Default `handoff`. */
  tablePrefix?: string;
  /**
   * How long an instance holds a delivery without renewing it: the deliveries of an instance that
   * died are taken over by another one after at most this long. Default 15 s.
   */
  leaseMs?: number;
  /** How long to wait for a connection before the call fails. Default 5 s. */
  connectTimeoutMs?: number;
  /** How long a statement may run or wait for a lock before the call fails. Default 10 s. */
  statementTimeoutMs?: number;
  /** Most connections of the instance's pool (one more listens for live events). Default 10. */
  maxConnections?: number;
}

const day = 24 * 60 * 60 * 1000;
const idempotencyRetentionMs = day;
/** Delivered ids are remembered this long, so an item enqueued again is not delivered again. */
const deliveredRetentionMs = 7 * day;
/** Uploaded files are kept this long (agents open them from the support system meanwhile). */
const fileRetentionMs = 30 * day;
/** A bot session's dialogue is kept this long after its last turn. */
const botStateRetentionMs = 30 * day;
/** Mailbox messages are kept this long. */
const mailboxRetentionMs = 30 * day;
/** Live events too large for a notification are read within moments; kept this long. */
const liveEventRetentionMs = 10 * 60 * 1000;

/** Settings of the server under which it could lose what was acknowledged, as warnings. */
async function durabilityWarnings(database: PostgresDatabase): Promise<string[]> {
  const result = await database.query<{ name: string; setting: string }>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')",
  );
  const setting = new Map(result.rows.map((row) => [row.name, row.setting]));
  const warnings: string[] = [];
  if (setting.get('fsync') === 'off')
    warnings.push(
      'PostgreSQL runs with fsync off: a crash of the server can lose or corrupt what was stored',
    );
  if (setting.get('synchronous_commit') === 'off')
    warnings.push(
      'PostgreSQL runs with synchronous_commit off: a crash of the server can lose what was acknowledged in the last moments',
    );
  return warnings;
}

/**
 * Every store in PostgreSQL, for several instances sharing the load: sessions and outbox (a
 * session write and its deliveries in one transaction; only a lane's head is claimed, under a
 * lease its worker renews), mailboxes, idempotency records, files (bytea), bot state,
 * installation secrets, the in-process support system's records (run by one instance at a time),
 * turns of periodic tasks, and live events over LISTEN/NOTIFY. Resolves once the tables are up to
 * date (migrations run at open, under an advisory lock) and the event connection listens; rejects
 * with a StorageUnavailableError when the server cannot be reached, and every call does while it
 * is away (connections and statements time out: nothing hangs).
 */
export async function createPostgresStores(settings: PostgresStoresSettings): Promise<HandoffStores> {
  const schema = checkIdentifier(settings.schema ?? 'public', 'schema', 63);
  const prefix = checkIdentifier(settings.tablePrefix ?? 'handoff', 'table prefix', 30);
  const tables: TableNames = tableNames(schema, prefix);
  const instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const connection = {
    url: settings.url,
    connectTimeoutMs: settings.connectTimeoutMs ?? 5_000,
    statementTimeoutMs: settings.statementTimeoutMs ?? 10_000,
    maxConnections: settings.maxConnections ?? 10,
    applicationName: `handoff-${instance}`.slice(0, 63),
  };
  const pool = createPostgresPool(connection);
  const database = createPostgresDatabase(pool, settings.url);
  const hub = createPostgresLiveEventHub({
    database,
    channel: tables.liveEventChannel,
    table: tables.liveEvents,
  });
  const chatbots = createPostgresChatbotStore({
    database,
    table: tables.chatbots,
    channel: tables.chatbotChannel,
  });
  const listener = createPostgresListener({
    connection: {
      ...connectionConfig(connection),
      application_name: `handoff-${instance}-events`.slice(0, 63),
    },
    channels: { [tables.liveEventChannel]: hub.notified, [tables.chatbotChannel]: chatbots.notified },
    onReconnect: () => {
      hub.resync();
      chatbots.resync();
    },
  });
  let warnings: string[];
  try {
    await migrate(database, tables);
    warnings = await durabilityWarnings(database);
    try {
      await listener.start();
    } catch (error) {
      throw new StorageUnavailableError(
        `cannot listen for events on PostgreSQL at ${redactPostgresUrl(settings.url)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  const storage = createPostgresStorage(database, tables.storage, 'main');
  let botHostStorage: HandoffStorage | undefined;
  const chatbotStorages = new Map<string, HandoffStorage>();
  const chatbotRecords = new Map<string, ChatbotSupportRecordsStore>();
  const mailbox = createPostgresMailbox(database, {
    table: tables.mailbox,
    lockNamespace: `${schema}.${prefix}.mailbox:`,
  });
  const idempotency = createPostgresKeyValueStore(database, {
    table: tables.idempotency,
    retentionMs: idempotencyRetentionMs,
  });
  const botState = createPostgresKeyValueStore(database, {
    table: tables.botState,
    retentionMs: botStateRetentionMs,
  });
  const files = createPostgresFileStore(database, { table: tables.files, retentionMs: fileRetentionMs });

  const claimTurn = async (task: string, periodMs: number) => {
    const result = await database.query(
      `INSERT INTO ${tables.turns} (task, owner, until) VALUES ($1, $2, ${serverNowMs} + $3)
       ON CONFLICT (task) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE ${tables.turns}.until <= ${serverNowMs}
       RETURNING task`,
      [task, instance, periodMs],
    );
    return result.rowCount === 1;
  };

  const prune = async () => {
    const now = Date.now();
    await pruneDelivered(database, tables.storage, now - deliveredRetentionMs);
    await mailbox.prune(now - mailboxRetentionMs);
    await idempotency.prune(now);
    await botState.prune(now);
    await files.prune(now);
    await hub.prune(now - liveEventRetentionMs);
  };
  const maintenance = setInterval(
    () => {
      void claimTurn('prune', 60 * 60 * 1000)
        .then((mine) => (mine ? prune() : undefined))
        .catch(() => undefined);
    },
    60 * 60 * 1000,
  );
  maintenance.unref();

  let closed = false;
  return {
    storage,
    botHostStorage() {
      botHostStorage ??= createPostgresStorage(database, tables.storage, 'agent-bot');
      return botHostStorage;
    },
    chatbotStorage(chatbotId) {
      let chatbot = chatbotStorages.get(chatbotId);
      if (chatbot === undefined) {
        chatbot = createPostgresStorage(database, tables.storage, `chatbot:${chatbotId}`);
        chatbotStorages.set(chatbotId, chatbot);
      }
      return chatbot;
    },
    chatbotSupportRecords(chatbotId) {
      let records = chatbotRecords.get(chatbotId);
      if (records === undefined) {
        records = createPostgresChatbotSupportRecordsStore(database, { tables, chatbotId });
        chatbotRecords.set(chatbotId, records);
      }
      return records;
    },
    mailbox,
    idempotency,
    files,
    hub,
    botState,
    chatbots,
    supportRecords: createPostgresSupportRecordsStore(database, { tables, instance }),
    claimTurn,
    installationSecret: createPostgresInstallationSecrets(database, { table: tables.secrets }),
    delivery: { leaseMs: settings.leaseMs ?? 15_000, idlePollMs: 1_000 },
    warnings,
    async ping() {
      await database.query('SELECT 1');
      if (!listener.listening) throw new StorageUnavailableError('the PostgreSQL event connection is down');
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(maintenance);
      await hub.close();
      await listener.close();
      await pool.end().catch(() => undefined);
    },
  };
}

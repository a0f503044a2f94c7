// createSqliteStores: every store a host needs in one SQLite file, for one instance.
import {
  type ChatbotSupportRecordsStore,
  createInProcessLiveEventHub,
  type HandoffStores,
} from '@handoff/core';
import { createSqliteBotStateStore } from './sqlite-bot-state-store.js';
import { createSqliteChatbotStore } from './sqlite-chatbot-store.js';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite-database.js';
import { createSqliteFileStore } from './sqlite-file-store.js';
import { createSqliteIdempotencyStore } from './sqlite-idempotency-store.js';
import { createSqliteInstallationSecrets } from './sqlite-installation-secrets.js';
import { createSqliteMailbox } from './sqlite-mailbox.js';
import { createSqliteStorage } from './sqlite-storage.js';
import { createSqliteSupportRecordsStore } from './sqlite-support-records-store.js';

export interface SqliteStoresSettings {
  /**
   * The SQLite file, created with its folder if missing (`:memory:` for a throwaway one). The
   * bot-host engine's storage goes in a file beside it: `handoff.db` → `handoff-agent-bot.db`, and
   * each chatbot's (`chatbotStorage`, and its in-process system's records, `chatbotSupportRecords`,
   * in the same tables as the main file's) in one of its own: `handoff-bot-<the id in hex>.db`.
   */
  path: string;
  /** `normal` survives a killed process (the default); `full` also survives power loss, slower. */
  synchronous?: 'normal' | 'full';
}

const day = 24 * 60 * 60 * 1000;
const idempotencyRetentionMs = day;
/** A bot session's dialogue is kept this long after its last turn. */
const botStateRetentionMs = 30 * day;
/** Uploaded files are kept this long (agents open them from the support system meanwhile). */
const fileRetentionMs = 30 * day;

/** The bot-host engine's file beside the main one. */
const botHostPath = (path: string) =>
  path === ':memory:' ? path : path.replace(/(\.db)?$/, '-agent-bot.db');
/** A chatbot's file beside the main one: `handoff.db` → `handoff-bot-<hex of the id>.db`. */
const chatbotPath = (path: string, chatbotId: string) =>
  path === ':memory:' ? path : path.replace(/(\.db)?$/, `-bot-${Buffer.from(chatbotId).toString('hex')}.db`);

/**
 * Every store in one SQLite file (WAL mode), which survives restarts: sessions and outbox (a
 * session write and its deliveries in one transaction), mailboxes, idempotency records, files,
 * bot state, installation secrets, chatbots and the in-process support system's records. One process owns
 * the file: its live events stay in the process, every periodic turn is its own, and claims a
 * killed predecessor held are freed at open, so what it was delivering is delivered again at once.
 * Old delivered ids, idempotency records, bot state and files are pruned every hour.
 */
export function createSqliteStores(settings: SqliteStoresSettings): HandoffStores {
  const options = { synchronous: settings.synchronous ?? 'normal' } as const;
  const database = openSqliteDatabase(settings.path, options);
  const storage = createSqliteStorage(database);
  storage.releaseClaims();
  const files = createSqliteFileStore(database, { retentionMs: fileRetentionMs });
  const idempotency = createSqliteIdempotencyStore(database, { retentionMs: idempotencyRetentionMs });
  const botState = createSqliteBotStateStore(database, { retentionMs: botStateRetentionMs });

  let botHost: { database: SqliteDatabase; storage: ReturnType<typeof createSqliteStorage> } | undefined;
  /** A chatbot's file, opened on first use: its sessions, outbox and in-process system's records. */
  interface ChatbotFile {
    database: SqliteDatabase;
    storage: ReturnType<typeof createSqliteStorage>;
    records: ChatbotSupportRecordsStore;
  }
  const chatbotFiles = new Map<string, ChatbotFile>();
  const chatbotFile = (chatbotId: string) => {
    let chatbot = chatbotFiles.get(chatbotId);
    if (chatbot === undefined) {
      const chatbotDatabase = openSqliteDatabase(chatbotPath(settings.path, chatbotId), options);
      const chatbotStorage = createSqliteStorage(chatbotDatabase);
      chatbotStorage.releaseClaims();
      const { load, persistence } = createSqliteSupportRecordsStore(chatbotDatabase);
      chatbot = { database: chatbotDatabase, storage: chatbotStorage, records: { load, persistence } };
      chatbotFiles.set(chatbotId, chatbot);
    }
    return chatbot;
  };
  const maintenance = setInterval(
    () => {
      storage.pruneDelivered();
      botHost?.storage.pruneDelivered();
      for (const chatbot of chatbotFiles.values()) chatbot.storage.pruneDelivered();
      idempotency.prune();
      botState.prune();
      files.prune();
    },
    60 * 60 * 1000,
  );
  maintenance.unref();

  return {
    storage,
    botHostStorage() {
      if (botHost === undefined) {
        const botHostDatabase = openSqliteDatabase(botHostPath(settings.path), options);
        const botHostStorage = createSqliteStorage(botHostDatabase);
        botHostStorage.releaseClaims();
        botHost = { database: botHostDatabase, storage: botHostStorage };
      }
      return botHost.storage;
    },
    chatbotStorage: (chatbotId) => chatbotFile(chatbotId).storage,
    chatbotSupportRecords: (chatbotId) => chatbotFile(chatbotId).records,
    mailbox: createSqliteMailbox(database),
    idempotency,
    files,
    hub: createInProcessLiveEventHub(),
    botState,
    chatbots: createSqliteChatbotStore(database),
    supportRecords: createSqliteSupportRecordsStore(database),
    claimTurn: async () => true,
    installationSecret: createSqliteInstallationSecrets(database),
    async ping() {
      database.prepare('SELECT 1').get();
    },
    async close() {
      clearInterval(maintenance);
      if (botHost?.database.open) botHost.database.close();
      for (const chatbot of chatbotFiles.values()) if (chatbot.database.open) chatbot.database.close();
      if (database.open) database.close();
    },
  };
}

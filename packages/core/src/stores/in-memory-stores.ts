// Every store a host needs, in process memory.

import type { HandoffStores } from '../contract/handoff-stores.js';
import { createInMemoryStorage } from '../session/in-memory-storage.js';
import { createInMemoryChatbotStore } from './in-memory-chatbot-store.js';
import { createInMemoryFileStore, type InMemoryFileStoreSettings } from './in-memory-file-store.js';
import { createInMemoryMailbox } from './in-memory-mailbox.js';
import { createInMemorySupportRecordsStore } from './in-memory-support-records-store.js';
import { createInProcessLiveEventHub } from './in-process-live-event-hub.js';

export interface InMemoryStoresSettings {
  files?: InMemoryFileStoreSettings;
  /** Most idempotency records kept; the oldest are forgotten first. Default 100,000. */
  maxIdempotencyRecords?: number;
}

/** A string map whose oldest entries go beyond `maxEntries`. */
function boundedMap(maxEntries: number) {
  const entries = new Map<string, string>();
  return {
    get: async (key: string) => entries.get(key),
    put: async (key: string, value: string) => {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}

/**
 * The stores in process memory, gone when the process ends: for tests, throwaway demos and hosts
 * of one instance that keep nothing. One process owns them, so every periodic turn is its own.
 */
export function createInMemoryStores(settings: InMemoryStoresSettings = {}): HandoffStores {
  const secrets = new Map<string, string>();
  let botHostStorage: ReturnType<typeof createInMemoryStorage> | undefined;
  const chatbotStorages = new Map<string, ReturnType<typeof createInMemoryStorage>>();
  const chatbotRecords = new Map<string, ReturnType<typeof createInMemorySupportRecordsStore>>();
  return {
    storage: createInMemoryStorage(),
    botHostStorage() {
      botHostStorage ??= createInMemoryStorage();
      return botHostStorage;
    },
    chatbotStorage(chatbotId) {
      const storage = chatbotStorages.get(chatbotId) ?? createInMemoryStorage();
      chatbotStorages.set(chatbotId, storage);
      return storage;
    },
    chatbotSupportRecords(chatbotId) {
      const records = chatbotRecords.get(chatbotId) ?? createInMemorySupportRecordsStore();
      chatbotRecords.set(chatbotId, records);
      return records;
    },
    mailbox: createInMemoryMailbox(),
    idempotency: boundedMap(settings.maxIdempotencyRecords ?? 100_000),
    files: createInMemoryFileStore(settings.files),
    hub: createInProcessLiveEventHub(),
    botState: boundedMap(Number.POSITIVE_INFINITY),
    chatbots: createInMemoryChatbotStore(),
    claimTurn: async () => true,
    async installationSecret(name) {
      const secret = secrets.get(name) ?? globalThis.crypto.randomUUID().replaceAll('-', '');
      secrets.set(name, secret);
      return secret;
    },
    async ping() {},
    async close() {},
  };
}

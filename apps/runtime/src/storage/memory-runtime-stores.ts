import { randomBytes } from 'node:crypto';
import { createInMemoryStorage, type OutboundMessage } from '@handoff/core';
import { createMemoryBotState } from '../bots/demo-bot.js';
import { createChannelHub } from '../channels/channel-hub.js';
import { createMemoryFileStore } from '../files/memory-file-store.js';
import type { MailboxEntry, RuntimeStores } from './runtime-stores.js';

/** The runtime's stores in process memory: for tests and throwaway demos. */
export function createMemoryRuntimeStores(): RuntimeStores {
  const storage = createInMemoryStorage();
  const mail = new Map<string, MailboxEntry[]>();
  const responses = new Map<string, string>();
  let sequence = 0;
  const secrets = new Map<string, string>();
  let agentBotStorage: ReturnType<typeof createInMemoryStorage> | undefined;
  return {
    storage,
    agentBotStorage() {
      agentBotStorage ??= createInMemoryStorage();
      return agentBotStorage;
    },
    mailbox: {
      async append(userKey, message: OutboundMessage) {
        const entries = mail.get(userKey) ?? [];
        const existing = entries.find((entry) => entry.message.id === message.id);
        if (existing !== undefined) return { ...existing, fresh: false };
        const entry = { sequence: ++sequence, message: structuredClone(message) };
        entries.push(entry);
        mail.set(userKey, entries);
        return { ...entry, fresh: true };
      },
      async after(userKey, after, limit = 500) {
        return (mail.get(userKey) ?? []).filter((entry) => entry.sequence > after).slice(0, limit);
      },
    },
    idempotency: {
      async get(key) {
        return responses.get(key);
      },
      async put(key, response) {
        responses.set(key, response);
        if (responses.size > 100_000) responses.delete(responses.keys().next().value as string);
      },
    },
    files: createMemoryFileStore(),
    botState: createMemoryBotState(),
    hub: createChannelHub(),
    // One process owns this storage: every periodic task is its own.
    claimTurn: async () => true,
    async installationSecret(name) {
      const secret = secrets.get(name) ?? randomBytes(24).toString('base64url');
      secrets.set(name, secret);
      return secret;
    },
    async ping() {},
    async close() {},
  };
}

// Test driver: a storage whose reads and writes answer late, as over a network.

import type { HandoffStorage } from '../../src/contract/handoff-storage.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wraps a storage so reads answer late (with what was stored when asked) and writes land late, as
 * over a network: concurrent writers of one session then always overlap, which is what
 * compare-and-set must survive.
 */
export function createSlowStorage(
  storage: HandoffStorage,
  delays: { readMs: number; writeMs: number },
): HandoffStorage {
  return {
    outbox: storage.outbox,
    sessions: {
      async get(key) {
        const stored = await storage.sessions.get(key);
        await sleep(delays.readMs);
        return stored;
      },
      findKeyByConversation: (conversationId) => storage.sessions.findKeyByConversation(conversationId),
      listConversations: () => storage.sessions.listConversations(),
      async compareAndSet(key, expectedVersion, session, items) {
        await sleep(delays.writeMs);
        return storage.sessions.compareAndSet(key, expectedVersion, session, items);
      },
    },
  };
}

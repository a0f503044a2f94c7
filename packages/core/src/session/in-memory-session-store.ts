// Sessions in process memory, with the conversation index and the transactional outbox step.

import type { Outbox } from '../contract/outbox.js';
import type { SessionStore, StoredSession } from '../contract/session-store.js';
import { type HandoffSession, indexedConversationId } from './handoff-session.js';

interface SessionRecord {
  json: string;
  version: number;
  conversationId: string | undefined;
}

/**
 * Sessions in a Map, serialised so callers can never mutate what is stored. Items given to
 * `compareAndSet` go to `outbox` in the same synchronous step.
 */
export function createInMemorySessionStore(settings: {
  outbox: Outbox;
}): SessionStore & { readonly size: number } {
  const records = new Map<string, SessionRecord>();
  const keysByConversation = new Map<string, string>();
  return {
    get size() {
      return records.size;
    },
    async get(key) {
      const record = records.get(key);
      if (record === undefined) return undefined;
      return {
        session: JSON.parse(record.json) as HandoffSession,
        version: record.version,
      } satisfies StoredSession;
    },
    async compareAndSet(key, expectedVersion, session, items) {
      const record = records.get(key);
      if (record?.version !== expectedVersion) return false;
      const conversationId = indexedConversationId(session);
      if (record?.conversationId !== undefined && record.conversationId !== conversationId) {
        if (keysByConversation.get(record.conversationId) === key)
          keysByConversation.delete(record.conversationId);
      }
      if (conversationId !== undefined) keysByConversation.set(conversationId, key);
      records.set(key, {
        json: JSON.stringify(session),
        version: (expectedVersion ?? 0) + 1,
        conversationId,
      });
      // The in-memory outbox stores synchronously when called, so no other write can come between.
      if (items !== undefined && items.length > 0) await settings.outbox.enqueue(items);
      return true;
    },
    async findKeyByConversation(conversationId) {
      return keysByConversation.get(conversationId);
    },
    async listConversations() {
      return [...keysByConversation].map(([conversationId, key]) => ({ key, conversationId }));
    },
  };
}

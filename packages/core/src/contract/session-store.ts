// The storage port of sessions: compare-and-set writes that enqueue their outbox items atomically.

import type { HandoffSession } from '../session/handoff-session.js';
import type { NewOutboxItem } from './outbox.js';

export interface StoredSession {
  session: HandoffSession;
  /** Changes on every successful write; the compare-and-set token. */
  version: number;
}

/**
 * Where sessions live. Writes are compare-and-set so two instances (or two concurrent messages)
 * never overwrite each other's update, and a write can enqueue outbox items in the same atomic
 * step (the transactional outbox): a state change and the deliveries it implies are stored
 * together or not at all.
 */
export interface SessionStore {
  /** Returns a fresh copy each time; mutating it changes nothing stored. */
  get(key: string): Promise<StoredSession | undefined>;
  /**
   * Writes `session` if the stored version is still `expectedVersion` (`undefined`: only if no
   * session exists) and enqueues `items` into the storage's outbox atomically with it. Resolves
   * false, writing nothing, when someone else wrote first. Keeps the conversation index in step
   * with `session.conversation.conversationId`.
   */
  compareAndSet(
    key: string,
    expectedVersion: number | undefined,
    session: HandoffSession,
    items?: readonly NewOutboxItem[],
  ): Promise<boolean>;
  /** The key of the session whose current support conversation is `conversationId`. */
  findKeyByConversation(conversationId: string): Promise<string | undefined>;
  /** Every session that has a current support conversation (for catching up after downtime). */
  listConversations(): Promise<Array<{ key: string; conversationId: string }>>;
}

import type { MemoryConversation, MemoryUser } from './records.js';

/** The id counters of the system: saved with every change, so no id is ever handed out twice. */
export interface MemoryCounters {
  user: number;
  conversation: number;
  message: number;
}

/** What one change of the system touched: the records as they are now, and the counters. */
export interface MemorySystemChange {
  users: MemoryUser[];
  conversations: MemoryConversation[];
  counters: MemoryCounters;
}

/**
 * Where the system keeps its state. `commit` saves a change at once (one transaction); the system
 * answers the call that made it, and sends the webhooks it caused, only once it resolves.
 */
export interface MemorySystemPersistence {
  commit(change: MemorySystemChange): void | Promise<void>;
}

/**
 * Collects what each call changes and saves it before anyone hears of it: records touched and
 * webhooks caused wait for the commit; a failed commit keeps them for the next one.
 */
export function createChangeJournal<Webhook>(settings: {
  persistence?: MemorySystemPersistence | undefined;
  user: (id: string) => MemoryUser | undefined;
  conversation: (id: string) => MemoryConversation | undefined;
  counters: () => MemoryCounters;
  send: (webhook: Webhook) => void;
}) {
  const users = new Set<string>();
  const conversations = new Set<string>();
  const held: Webhook[] = [];
  let chain: Promise<void> = Promise.resolve();
  return {
    touchUser(id: string) {
      users.add(id);
    },
    touch(conversation: { id: string }) {
      conversations.add(conversation.id);
    },
    /** A webhook to send once the change that caused it is saved. */
    hold(webhook: Webhook) {
      held.push(webhook);
    },
    /** Saves what changed since the last commit, then sends its webhooks; rejects when saving failed. */
    commit(): Promise<void> {
      if (users.size === 0 && conversations.size === 0 && held.length === 0) return chain;
      const userIds = [...users];
      const conversationIds = [...conversations];
      const webhooks = held.splice(0);
      users.clear();
      conversations.clear();
      const change: MemorySystemChange = {
        users: userIds.flatMap((id) => structuredCloneOf(settings.user(id))),
        conversations: conversationIds.flatMap((id) => structuredCloneOf(settings.conversation(id))),
        counters: { ...settings.counters() },
      };
      const attempt = chain.then(async () => {
        await settings.persistence?.commit(change);
        for (const webhook of webhooks) settings.send(webhook);
      });
      chain = attempt.catch(() => {
        // Not saved: the records go with the next commit, and their webhooks wait for it.
        for (const id of userIds) users.add(id);
        for (const id of conversationIds) conversations.add(id);
        held.unshift(...webhooks);
      });
      return attempt;
    },
    /** Resolves once every commit started so far has finished. */
    settled(): Promise<void> {
      return chain;
    },
  };
}

function structuredCloneOf<Value>(value: Value | undefined): Value[] {
  return value === undefined ? [] : [structuredClone(value)];
}

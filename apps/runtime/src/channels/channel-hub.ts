import type { ChannelTyping } from '@handoff/core';
import type { MailboxEntry } from '../storage/runtime-stores.js';

/**
 * What live event streams are told: a stored message, a typing change, or `resync` (messages may
 * have been missed: read the mailbox after the last one sent).
 */
export type HubEvent =
  | { type: 'message'; entry: MailboxEntry }
  | { type: 'typing'; typing: ChannelTyping }
  | { type: 'resync' };

export type HubListener = (event: HubEvent) => void;

/** Live listeners (server-sent event streams) per user, fed by every runtime instance. */
export interface ChannelHub {
  /** Resolves once events published from now on reach `listener`; resolves with unsubscribe. */
  subscribe(userKey: string, listener: HubListener): Promise<() => void>;
  /** Tells every listener of `userKey`, on whichever instance it is connected. */
  publish(userKey: string, event: HubEvent): Promise<void>;
  /** Listeners connected to this instance. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Listeners of this process, by user. */
export function createListenerRegistry() {
  const listeners = new Map<string, Set<HubListener>>();
  return {
    /** Adds a listener; `first` is true when it is the user's first one here. */
    add(userKey: string, listener: HubListener): { first: boolean; remove: () => boolean } {
      let set = listeners.get(userKey);
      const first = set === undefined;
      if (set === undefined) {
        set = new Set();
        listeners.set(userKey, set);
      }
      const own = set;
      own.add(listener);
      return {
        first,
        /** Removes it; true when it was the user's last one here. */
        remove: () => {
          own.delete(listener);
          if (own.size > 0 || listeners.get(userKey) !== own) return false;
          listeners.delete(userKey);
          return true;
        },
      };
    },
    dispatch(userKey: string, event: HubEvent): void {
      for (const listener of listeners.get(userKey) ?? []) listener(event);
    },
    dispatchAll(event: HubEvent): void {
      for (const set of listeners.values()) for (const listener of set) listener(event);
    },
    get connections() {
      let count = 0;
      for (const set of listeners.values()) count += set.size;
      return count;
    },
  };
}

/** A hub for one process (memory and SQLite storage: one instance). */
export function createChannelHub(): ChannelHub {
  const registry = createListenerRegistry();
  return {
    async subscribe(userKey, listener) {
      const { remove } = registry.add(userKey, listener);
      return () => {
        remove();
      };
    },
    async publish(userKey, event) {
      registry.dispatch(userKey, event);
    },
    get connections() {
      return registry.connections;
    },
    async close() {},
  };
}

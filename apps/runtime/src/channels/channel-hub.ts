import type { ChannelTyping } from '@handoff/core';
import type { MailboxEntry } from '../storage/runtime-stores.js';

export type HubEvent = { type: 'message'; entry: MailboxEntry } | { type: 'typing'; typing: ChannelTyping };

export type HubListener = (event: HubEvent) => void;

/** Live listeners (server-sent event streams) per user, in this process. */
export function createChannelHub() {
  const listeners = new Map<string, Set<HubListener>>();
  return {
    subscribe(userKey: string, listener: HubListener): () => void {
      let set = listeners.get(userKey);
      if (set === undefined) {
        set = new Set();
        listeners.set(userKey, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(userKey);
      };
    },
    publish(userKey: string, event: HubEvent): number {
      const set = listeners.get(userKey);
      for (const listener of set ?? []) listener(event);
      return set?.size ?? 0;
    },
    get connections() {
      let count = 0;
      for (const set of listeners.values()) count += set.size;
      return count;
    },
  };
}

export type ChannelHub = ReturnType<typeof createChannelHub>;

// A live-event hub for one process: storages that one instance owns (in memory, SQLite).
import type { LiveEventHub } from '../contract/live-event-hub.js';
import { createLiveEventListeners } from './live-event-listeners.js';

/** A hub whose listeners and publishers are all in this process. */
export function createInProcessLiveEventHub(): LiveEventHub {
  const listeners = createLiveEventListeners();
  return {
    async subscribe(userKey, listener) {
      const { remove } = listeners.add(userKey, listener);
      return () => {
        remove();
      };
    },
    async publish(userKey, event) {
      listeners.dispatch(userKey, event);
    },
    get connections() {
      return listeners.connections;
    },
    async close() {},
  };
}

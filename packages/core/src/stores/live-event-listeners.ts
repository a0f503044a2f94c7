// The listeners of one process, by user: what every live-event hub dispatches to.
import type { LiveEvent, LiveEventListener } from '../contract/live-event-hub.js';

/** The live-event listeners connected to this process, by user. */
export interface LiveEventListeners {
  /** Adds a listener; `first` is true when it is the user's first one here. */
  add(userKey: string, listener: LiveEventListener): { first: boolean; remove: () => boolean };
  /** Tells the user's listeners here. */
  dispatch(userKey: string, event: LiveEvent): void;
  /** Tells every listener here (a `resync` after a hub reconnected). */
  dispatchAll(event: LiveEvent): void;
  readonly connections: number;
}

/** An empty set of listeners; a hub over several instances adds its transport around it. */
export function createLiveEventListeners(): LiveEventListeners {
  const listeners = new Map<string, Set<LiveEventListener>>();
  return {
    add(userKey, listener) {
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
    dispatch(userKey, event) {
      for (const listener of listeners.get(userKey) ?? []) listener(event);
    },
    dispatchAll(event) {
      for (const set of listeners.values()) for (const listener of set) listener(event);
    },
    get connections() {
      let count = 0;
      for (const set of listeners.values()) count += set.size;
      return count;
    },
  };
}

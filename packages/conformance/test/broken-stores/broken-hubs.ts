// Live-event hubs that drop events or tell the wrong user.
import type { LiveEventListener } from '@handoff/core';
import { type BrokenStores, brokenStores } from './broken-store.js';

export const brokenHubs: Record<string, BrokenStores> = {
  'drops every third live event': brokenStores(
    [
      'live-events/every-event-in-order',
      'live-events/events-intact',
      'live-events/only-its-user',
      'live-events/every-listener',
    ],
    (stores) => {
      let published = 0;
      return {
        ...stores,
        hub: {
          subscribe: (userKey, listener) => stores.hub.subscribe(userKey, listener),
          publish: async (userKey, event) => {
            published += 1;
            if (published % 3 !== 0) await stores.hub.publish(userKey, event);
          },
          get connections() {
            return stores.hub.connections;
          },
          close: () => stores.hub.close(),
        },
      };
    },
  ),
  'tells every user’s listeners': brokenStores(['live-events/only-its-user'], (stores) => {
    const everyone = new Set<LiveEventListener>();
    return {
      ...stores,
      hub: {
        subscribe: async (userKey, listener) => {
          everyone.add(listener);
          const stop = await stores.hub.subscribe(userKey, () => undefined);
          return () => {
            everyone.delete(listener);
            stop();
          };
        },
        publish: async (_userKey, event) => {
          for (const listener of everyone) listener(event);
        },
        get connections() {
          return stores.hub.connections;
        },
        close: () => stores.hub.close(),
      },
    };
  }),
};

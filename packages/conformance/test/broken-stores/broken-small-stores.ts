// Broken small stores: idempotency that forgets, bot state, secrets, turns, readiness, bot-host storage.
import { type BrokenStores, brokenStores } from './broken-store.js';

export const brokenSmallStores: Record<string, BrokenStores> = {
  'forgets idempotency answers': brokenStores(
    ['idempotency/answers-what-was-stored', 'idempotency/last-answer-wins', 'idempotency/answer-intact'],
    (stores) => ({ ...stores, idempotency: { get: async () => undefined, put: async () => undefined } }),
  ),
  'keeps the first bot state of a key': brokenStores(['bot-state/answers-what-was-stored'], (stores) => ({
    ...stores,
    botState: {
      get: (key) => stores.botState.get(key),
      put: async (key, value) => {
        if ((await stores.botState.get(key)) === undefined) await stores.botState.put(key, value);
      },
    },
  })),
  'generates an installation secret anew each time': brokenStores(
    ['installation-secrets/once-per-name'],
    (stores) => {
      let asked = 0;
      return { ...stores, installationSecret: async (name) => `${name}-${++asked}-0123456789abcdefghijklmn` };
    },
  ),
  'never grants a turn': brokenStores(['turns/first-turn-granted'], (stores) => ({
    ...stores,
    claimTurn: async () => false,
  })),
  'fails readiness': brokenStores(['basics/ping'], (stores) => ({
    ...stores,
    ping: async () => {
      throw new Error('not connected');
    },
  })),
  'shares one storage between both engines': brokenStores(['bot-host-storage/apart'], (stores) => ({
    ...stores,
    botHostStorage: () => stores.storage,
  })),
};

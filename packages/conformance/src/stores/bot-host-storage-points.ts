// The points of the bot-host engine's storage: its own sessions and outbox, apart from the other.
import type { HandoffStorage } from '@handoff/core';
import { checkEqual } from '../check.js';
import { type StorePoint, storePoint } from './store-point.js';

const suite = 'bot-host-storage';
const item = (id: string) => ({ id, lane: 'lane-a', kind: 'test', payload: { id } });
const claimed = async (storage: HandoffStorage) =>
  (await storage.outbox.claim({ now: Date.now() + 1_000, limit: 10, leaseMs: 1_000, owner: 'w' })).map(
    (entry) => entry.id,
  );

export const botHostStoragePoints: StorePoint[] = [
  storePoint({
    id: 'bot-host-storage/apart',
    suite,
    title: 'keeps the bot-host engine’s sessions and outbox apart from the handoff engine’s',
    async run({ stores }) {
      const botHost = stores.botHostStorage();
      checkEqual(stores.botHostStorage() === botHost, true, 'the same storage on every call');
      await stores.storage.outbox.enqueue([item('handoff-item')]);
      await botHost.outbox.enqueue([item('bot-host-item')]);
      checkEqual(await claimed(botHost), ['bot-host-item'], 'what the bot-host outbox hands out');
      checkEqual(await claimed(stores.storage), ['handoff-item'], 'what the handoff outbox hands out');
    },
  }),
];

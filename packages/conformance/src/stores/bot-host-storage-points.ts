// The points of the bot-host engine's and of chatbots' storages: each its own sessions and outbox.
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

/** The points of the storages of chatbots a host serves beside the default one. */
export const chatbotStoragePoints: StorePoint[] = [
  storePoint({
    id: 'chatbot-storage/apart',
    suite: 'chatbot-storage',
    title: 'keeps each chatbot’s sessions and outbox apart from every other’s and from the default storage',
    async run({ stores }) {
      const shop = stores.chatbotStorage('shop');
      const bank = stores.chatbotStorage('bank');
      checkEqual(stores.chatbotStorage('shop') === shop, true, 'the same storage for the same chatbot');
      await stores.storage.outbox.enqueue([item('default-item')]);
      await shop.outbox.enqueue([item('shop-item')]);
      await bank.outbox.enqueue([item('bank-item')]);
      checkEqual(await claimed(shop), ['shop-item'], 'what the shop chatbot’s outbox hands out');
      checkEqual(await claimed(bank), ['bank-item'], 'what the bank chatbot’s outbox hands out');
      checkEqual(await claimed(stores.storage), ['default-item'], 'what the default outbox hands out');
    },
  }),
];

// The stores kit as vitest suites: sessions and outboxes, then every other store, point by point.
import type { HandoffStorage, HandoffStores } from '@handoff/core';
import { describe, it } from 'vitest';
import { describeHandoffStorage } from '../describe-handoff-storage.js';
import { handoffStoresPoints } from './handoff-stores-points.js';
import type { HandoffStoresTarget } from './handoff-stores-target.js';
import { runStorePoint } from './run-store-points.js';

/** `describeHandoffStorage` over one of the two storages of every fresh set of stores. */
function describeStorageOf(
  target: HandoffStoresTarget,
  title: string,
  storageOf: (stores: HandoffStores) => HandoffStorage,
) {
  const owners = new Map<HandoffStorage, HandoffStores>();
  const owned = async (stores: HandoffStores | Promise<HandoffStores>) => {
    const ready = await stores;
    const storage = storageOf(ready);
    owners.set(storage, ready);
    return storage;
  };
  const ownerOf = (storage: HandoffStorage) => {
    const stores = owners.get(storage);
    if (stores === undefined) throw new Error('a storage the kit did not open');
    return stores;
  };
  const reopen = target.reopen;
  describeHandoffStorage({
    name: `${target.name} ${title}`,
    create: () => owned(target.create()),
    close: async (storage) => {
      const stores = ownerOf(storage);
      owners.delete(storage);
      await (target.close ?? ((open: HandoffStores) => open.close()))(stores);
    },
    ...(reopen === undefined ? {} : { reopen: (storage) => owned(reopen(ownerOf(storage))) }),
  });
}

/**
 * The contract of `HandoffStores` as vitest suites: `describeHandoffStorage` over the handoff
 * engine's storage and the bot-host engine's, then one test per point of the other stores
 * (mailbox, idempotency, files, live events, bot state, installation secrets, turns, support
 * records, chatbots’ support records, chatbots), each with fresh stores. Points that need a reopen
 * or a second instance are skipped, saying why, where the target has none.
 */
export function describeHandoffStores(target: HandoffStoresTarget): void {
  describeStorageOf(target, 'storage', (stores) => stores.storage);
  describeStorageOf(target, 'bot-host storage', (stores) => stores.botHostStorage());
  describe(target.name, () => {
    for (const suite of new Set(handoffStoresPoints.map((point) => point.suite))) {
      describe(suite, () => {
        for (const point of handoffStoresPoints.filter((candidate) => candidate.suite === suite)) {
          it(point.title, async (context) => {
            const result = await runStorePoint(target, point);
            if (result.status === 'skipped') context.skip(result.message);
            if (result.status === 'failed') throw new Error(`${point.id}: ${result.message}`);
          });
        }
      });
    }
  });
}

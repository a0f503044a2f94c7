// The chatbot store's points: configurations by id with revisions, compare-and-set, news of changes.
import type { ChatbotChange, ChatbotStore } from '@handoff/core';
import { check, checkEqual } from '../check.js';
import { type StorePoint, storePoint } from './store-point.js';
import { waitUntil } from './wait-until.js';

const suite = 'chatbots';
const documentOf = (name: string) =>
  JSON.stringify({ name, channels: { web: { token: 'v1:sealed' } }, note: 'ü 👋' });
/** How long a change may take to reach another instance. */
const changeWithinMs = 1_000;

async function watching(store: ChatbotStore) {
  const changes: ChatbotChange[] = [];
  const stop = await store.watch((change) => changes.push(change));
  return { changes, stop };
}

export const chatbotPoints: StorePoint[] = [
  storePoint({
    id: 'chatbots/answers-what-was-stored',
    suite,
    title:
      'answers a chatbot with what was stored last for it, revision 1 when created and one more per write',
    async run({ stores }) {
      const chatbots = stores.chatbots;
      checkEqual(await chatbots.get('shop'), undefined, 'a chatbot never stored');
      const created = await chatbots.put('shop', documentOf('Shop'), 0);
      checkEqual(
        created,
        { written: true, record: { id: 'shop', revision: 1, document: documentOf('Shop') } },
        'the creation',
      );
      const updated = await chatbots.put('shop', documentOf('Shop 2'), 1);
      checkEqual(
        updated,
        { written: true, record: { id: 'shop', revision: 2, document: documentOf('Shop 2') } },
        'the update',
      );
      checkEqual(
        await chatbots.get('shop'),
        { id: 'shop', revision: 2, document: documentOf('Shop 2') },
        'the chatbot read back',
      );
    },
  }),
  storePoint({
    id: 'chatbots/compare-and-set',
    suite,
    title: 'refuses a write whose expected revision is not the stored one, saying what is stored',
    async run({ stores }) {
      const chatbots = stores.chatbots;
      await chatbots.put('shop', documentOf('Shop'), 0);
      const stored = { id: 'shop', revision: 1, document: documentOf('Shop') };
      checkEqual(
        await chatbots.put('shop', documentOf('again'), 0),
        { written: false, current: stored },
        'creating it twice',
      );
      checkEqual(
        await chatbots.put('shop', documentOf('later'), 2),
        { written: false, current: stored },
        'a revision ahead',
      );
      checkEqual(
        await chatbots.put('nobody', documentOf('x'), 1),
        { written: false, current: undefined },
        'updating a chatbot never created',
      );
      const racing = await Promise.all(
        Array.from({ length: 8 }, (_, index) => chatbots.put('shop', documentOf(`racer ${index}`), 1)),
      );
      checkEqual(
        racing.filter((write) => write.written).length,
        1,
        'writes won among 8 with the same expected revision',
      );
      checkEqual((await chatbots.get('shop'))?.revision, 2, 'the revision after the race');
    },
  }),
  storePoint({
    id: 'chatbots/list-in-order',
    suite,
    title: 'lists chatbots in id order, after an id and up to a limit',
    async run({ stores }) {
      const chatbots = stores.chatbots;
      for (const id of ['shop', 'bank', 'travel', 'airline']) await chatbots.put(id, documentOf(id), 0);
      const ids = (records: { id: string }[]) => records.map((record) => record.id);
      checkEqual(ids(await chatbots.list()), ['airline', 'bank', 'shop', 'travel'], 'every chatbot');
      checkEqual(ids(await chatbots.list({ after: 'bank', limit: 1 })), ['shop'], 'one after bank');
      checkEqual(ids(await chatbots.list({ after: 'travel' })), [], 'after the last');
      checkEqual(
        (await chatbots.list({ limit: 1 }))[0],
        { id: 'airline', revision: 1, document: documentOf('airline') },
        'the first record',
      );
    },
  }),
  storePoint({
    id: 'chatbots/delete',
    suite,
    title: 'deletes a chatbot (only at the expected revision when one is given), which is then gone',
    async run({ stores }) {
      const chatbots = stores.chatbots;
      await chatbots.put('shop', documentOf('Shop'), 0);
      await chatbots.put('bank', documentOf('Bank'), 0);
      checkEqual(await chatbots.delete('shop', 2), false, 'deleting at a stale revision');
      check((await chatbots.get('shop')) !== undefined, 'a refused delete deleted the chatbot');
      checkEqual(await chatbots.delete('shop', 1), true, 'deleting at its revision');
      checkEqual(await chatbots.delete('shop'), false, 'deleting it again');
      checkEqual(await chatbots.get('shop'), undefined, 'the deleted chatbot');
      checkEqual(
        (await chatbots.list()).map((record) => record.id),
        ['bank'],
        'the chatbots left',
      );
      const again = await chatbots.put('shop', documentOf('Shop again'), 0);
      checkEqual(again.written && again.record.revision, 1, 'the revision of a chatbot created again');
    },
  }),
  storePoint({
    id: 'chatbots/watchers-told',
    suite,
    title: 'tells watchers of every write and delete, and stops telling one that stopped',
    async run({ stores }) {
      const chatbots = stores.chatbots;
      const first = await watching(chatbots);
      const second = await watching(chatbots);
      await chatbots.put('shop', documentOf('Shop'), 0);
      await chatbots.put('shop', documentOf('Shop 2'), 1);
      await chatbots.put('shop', documentOf('refused'), 1);
      await chatbots.delete('shop');
      const expected: ChatbotChange[] = [
        { type: 'written', id: 'shop', revision: 1 },
        { type: 'written', id: 'shop', revision: 2 },
        { type: 'deleted', id: 'shop' },
      ];
      await waitUntil(
        () => first.changes.length >= 3 && second.changes.length >= 3,
        () => `${first.changes.length} of 3 changes arrived`,
        changeWithinMs,
      );
      checkEqual(first.changes, expected, 'what the first watcher was told');
      checkEqual(second.changes, expected, 'what the second watcher was told');
      first.stop();
      await chatbots.put('bank', documentOf('Bank'), 0);
      await waitUntil(
        () => second.changes.length >= 4,
        'the change after one watcher stopped did not arrive',
        changeWithinMs,
      );
      checkEqual(first.changes.length, 3, 'changes told to a watcher that stopped');
      second.stop();
    },
  }),
  storePoint({
    id: 'chatbots/kept-across-reopen',
    suite,
    title: 'keeps the chatbots when the backend is opened again',
    needs: ['reopen'],
    async run({ stores, reopen }) {
      await stores.chatbots.put('shop', documentOf('Shop'), 0);
      const again = await reopen();
      checkEqual(
        await again.chatbots.get('shop'),
        { id: 'shop', revision: 1, document: documentOf('Shop') },
        'after a reopen',
      );
    },
  }),
  storePoint({
    id: 'chatbots/across-instances',
    suite,
    title: 'tells every instance of a change within a second, and each reads it',
    needs: ['anotherInstance'],
    async run({ stores, anotherInstance }) {
      const other = await anotherInstance();
      const watcher = await watching(other.chatbots);
      await stores.chatbots.put('shop', documentOf('Shop'), 0);
      await waitUntil(
        () => watcher.changes.length > 0,
        'the other instance was not told of the change within a second',
        changeWithinMs,
      );
      checkEqual(
        watcher.changes,
        [{ type: 'written', id: 'shop', revision: 1 }],
        'what the other instance was told',
      );
      checkEqual(
        (await other.chatbots.get('shop'))?.document,
        documentOf('Shop'),
        'the chatbot on the other instance',
      );
      await other.chatbots.delete('shop');
      checkEqual(await stores.chatbots.get('shop'), undefined, 'a chatbot the other instance deleted');
      watcher.stop();
    },
  }),
];

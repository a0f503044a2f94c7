// The points of the in-process support system's records: each change saved, all read back.
import { check, checkEqual } from '../check.js';
import { type StorePoint, storePoint } from './store-point.js';

const suite = 'support-records';
const user = (id: string, name: string) => ({ id, name, attributes: { plan: 'pro', note: 'ü 👋' } });
const conversation = (id: string, messages: string[]) => ({ id, status: 'open', messages });
const byId = (records: ReadonlyArray<{ id: string }> | undefined) =>
  [...(records ?? [])].sort((left, right) => left.id.localeCompare(right.id));

export const supportRecordsPoints: StorePoint[] = [
  storePoint({
    id: 'support-records/new-installation',
    suite,
    title: 'has no records for a new installation',
    needs: ['supportRecords'],
    async run({ stores }) {
      checkEqual(await stores.supportRecords?.load(), undefined, 'the records of a new installation');
    },
  }),
  storePoint({
    id: 'support-records/changes-saved',
    suite,
    title: 'reads back every record as last saved, and the last counters',
    needs: ['supportRecords'],
    async run({ stores }) {
      const records = stores.supportRecords;
      check(records !== undefined, 'no support records store');
      await records.persistence.commit({
        users: [user('u1', 'Alice')],
        conversations: [conversation('c1', ['hello'])],
        counters: { user: 1, conversation: 1, message: 1 },
      });
      await records.persistence.commit({
        users: [user('u1', 'Alice B.'), user('u2', 'Bob')],
        conversations: [],
        counters: { user: 2, conversation: 1, message: 1 },
      });
      await records.persistence.commit({
        users: [],
        conversations: [conversation('c1', ['hello', 'an answer'])],
        counters: { user: 2, conversation: 1, message: 2 },
      });
      const loaded = await records.load();
      checkEqual(byId(loaded?.users), [user('u1', 'Alice B.'), user('u2', 'Bob')], 'the users');
      checkEqual(loaded?.conversations, [conversation('c1', ['hello', 'an answer'])], 'the conversations');
      checkEqual(loaded?.counters, { user: 2, conversation: 1, message: 2 }, 'the counters');
    },
  }),
  storePoint({
    id: 'support-records/kept-across-reopen',
    suite,
    title: 'keeps the records when the backend is opened again',
    needs: ['supportRecords', 'reopen'],
    async run({ stores, reopen }) {
      await stores.supportRecords?.persistence.commit({
        users: [user('u1', 'Alice')],
        conversations: [conversation('c1', ['hello'])],
        counters: { user: 1, conversation: 1, message: 1 },
      });
      const again = await reopen();
      const loaded = await again.supportRecords?.load();
      checkEqual(loaded?.users, [user('u1', 'Alice')], 'the users after a reopen');
      checkEqual(loaded?.counters, { user: 1, conversation: 1, message: 1 }, 'the counters after a reopen');
    },
  }),
];

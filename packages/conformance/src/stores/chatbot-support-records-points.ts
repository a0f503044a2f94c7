// The points of chatbots' in-process support system records: each chatbot's apart, changes whole.
import type { ChatbotSupportRecordsStore, SupportRecords } from '@handoff/core';
import { check, checkEqual } from '../check.js';
import { type StorePoint, storePoint } from './store-point.js';

const suite = 'chatbot-support-records';
const user = (id: string, name: string) => ({ id, name, attributes: { plan: 'pro', note: 'ü 👋' } });
const conversation = (id: string, messages: string[]) => ({ id, status: 'open', messages });
const byId = <Record extends { id: string }>(records: readonly Record[] | undefined) =>
  [...(records ?? [])].sort((left, right) => left.id.localeCompare(right.id));
/** What `load` answered, with records in id order (stores may answer them in any order). */
const sorted = (records: SupportRecords | undefined) =>
  records === undefined
    ? undefined
    : { users: byId(records.users), conversations: byId(records.conversations), counters: records.counters };
/** A commit, whether the store saves at once or answers a promise. */
const commit = async (store: ChatbotSupportRecordsStore, change: SupportRecords) => {
  await store.persistence.commit(change);
};

/** Change `revision` of a small system: every record and the counters carry the revision. */
const revision = (rev: number): SupportRecords => ({
  users: ['u1', 'u2', 'u3', 'u4'].map((id) => ({ id, rev })),
  conversations: ['c1', 'c2'].map((id) => ({ id, rev, messages: [`message ${rev}`] })),
  counters: { rev },
});

/** The shop chatbot's records and the bank's: the same ids, other contents. */
const shopChange: SupportRecords = {
  users: [user('u1', 'Shop customer')],
  conversations: [conversation('c1', ['where is my parcel?'])],
  counters: { user: 1, conversation: 1, message: 1 },
};
const bankChange: SupportRecords = {
  users: [user('u1', 'Bank customer'), user('u2', 'Another bank customer')],
  conversations: [conversation('c1', ['my card is blocked'])],
  counters: { user: 2, conversation: 1, message: 1 },
};

export const chatbotSupportRecordsPoints: StorePoint[] = [
  storePoint({
    id: 'chatbot-support-records/new-chatbot',
    suite,
    title: 'has no records for a chatbot that never saved',
    async run({ stores }) {
      checkEqual(
        await stores.chatbotSupportRecords('shop').load(),
        undefined,
        'the records of a new chatbot',
      );
    },
  }),
  storePoint({
    id: 'chatbot-support-records/changes-saved',
    suite,
    title: 'reads back every record of a chatbot as last saved, and the last counters',
    async run({ stores }) {
      const records = stores.chatbotSupportRecords('shop');
      await commit(records, {
        users: [user('u1', 'Alice')],
        conversations: [conversation('c1', ['hello'])],
        counters: { user: 1, conversation: 1, message: 1 },
      });
      await commit(records, {
        users: [user('u1', 'Alice B.'), user('u2', 'Bob')],
        conversations: [],
        counters: { user: 2, conversation: 1, message: 1 },
      });
      await commit(stores.chatbotSupportRecords('shop'), {
        users: [],
        conversations: [conversation('c1', ['hello', 'an answer'])],
        counters: { user: 2, conversation: 1, message: 2 },
      });
      const expected = {
        users: [user('u1', 'Alice B.'), user('u2', 'Bob')],
        conversations: [conversation('c1', ['hello', 'an answer'])],
        counters: { user: 2, conversation: 1, message: 2 },
      };
      checkEqual(sorted(await records.load()), expected, 'the records, merged change by change');
      checkEqual(
        sorted(await stores.chatbotSupportRecords('shop').load()),
        expected,
        'the records, asked for the same chatbot again',
      );
    },
  }),
  storePoint({
    id: 'chatbot-support-records/apart',
    suite,
    title: 'keeps each chatbot’s records apart from every other’s and from the default support records',
    async run({ stores }) {
      await commit(stores.chatbotSupportRecords('shop'), shopChange);
      await commit(stores.chatbotSupportRecords('bank'), bankChange);
      checkEqual(sorted(await stores.chatbotSupportRecords('shop').load()), shopChange, 'the shop chatbot’s');
      checkEqual(sorted(await stores.chatbotSupportRecords('bank').load()), bankChange, 'the bank chatbot’s');
      for (const other of ['Shop', 'shop:bank', 'quiet'])
        checkEqual(await stores.chatbotSupportRecords(other).load(), undefined, `chatbot ${other}’s`);
      if (stores.supportRecords !== undefined) {
        checkEqual(await stores.supportRecords.load(), undefined, 'the default records, no chatbot’s');
        const defaultChange = { users: [user('u1', 'Default')], conversations: [], counters: { user: 9 } };
        await stores.supportRecords.persistence.commit(defaultChange);
        checkEqual(sorted(await stores.supportRecords.load()), defaultChange, 'the default records');
        checkEqual(
          sorted(await stores.chatbotSupportRecords('shop').load()),
          shopChange,
          'the shop chatbot’s, after the default system saved',
        );
      }
    },
  }),
  storePoint({
    id: 'chatbot-support-records/kept-across-reopen',
    suite,
    title: 'keeps each chatbot’s records when the backend is opened again',
    needs: ['reopen'],
    async run({ stores, reopen }) {
      await commit(stores.chatbotSupportRecords('shop'), shopChange);
      await commit(stores.chatbotSupportRecords('bank'), bankChange);
      const again = await reopen();
      checkEqual(
        sorted(await again.chatbotSupportRecords('shop').load()),
        shopChange,
        'the shop’s after a reopen',
      );
      checkEqual(
        sorted(await again.chatbotSupportRecords('bank').load()),
        bankChange,
        'the bank’s after a reopen',
      );
      checkEqual(
        await again.chatbotSupportRecords('quiet').load(),
        undefined,
        'a new chatbot’s after a reopen',
      );
      await commit(again.chatbotSupportRecords('shop'), {
        users: [user('u2', 'Second customer')],
        conversations: [],
        counters: { user: 2, conversation: 1, message: 1 },
      });
      checkEqual(
        byId((await again.chatbotSupportRecords('shop').load())?.users).map((record) => record.id),
        ['u1', 'u2'],
        'the shop’s users after a change made once reopened',
      );
    },
  }),
  storePoint({
    id: 'chatbot-support-records/failed-commit-changes-nothing',
    suite,
    title: 'saves a change whole or not at all (a record that cannot be saved)',
    async run({ stores }) {
      const records = stores.chatbotSupportRecords('shop');
      await commit(records, revision(1));
      const unsaveable = {
        id: 'c9',
        toJSON() {
          throw new Error('this record cannot be saved');
        },
      };
      const change = revision(2);
      const failed = await commit(records, {
        ...change,
        conversations: [...change.conversations, unsaveable],
      })
        .then(() => false)
        .catch(() => true);
      const loaded = sorted(await records.load());
      if (failed) {
        checkEqual(loaded, sorted(revision(1)), 'the records after a change that failed');
      } else {
        checkEqual(loaded?.users, change.users, 'the users of a change said to be saved');
        checkEqual(loaded?.counters, change.counters, 'the counters of a change said to be saved');
        check(loaded?.conversations.length === 3, 'every conversation of a change said to be saved');
      }
    },
  }),
  storePoint({
    id: 'chatbot-support-records/loads-whole-changes',
    suite,
    title: 'reads one change whole or not at all while changes are being saved',
    async run({ stores, anotherInstance }) {
      // Read from a second instance where the backend has several, else from the same one.
      const reader = await anotherInstance().catch(() => stores);
      const writer = stores.chatbotSupportRecords('shop');
      const revisions = 20;
      let writing = true;
      const written = (async () => {
        try {
          for (let rev = 1; rev <= revisions; rev += 1) {
            await commit(writer, revision(rev));
            await new Promise((resolve) => setImmediate(resolve));
          }
        } finally {
          writing = false;
        }
      })();
      while (writing) {
        const loaded = sorted(await reader.chatbotSupportRecords('shop').load());
        if (loaded !== undefined) {
          const rev = (loaded.counters as { rev?: unknown } | null)?.rev;
          checkEqual(
            loaded,
            sorted(revision(rev as number)),
            `the records read beside the commits (counters ${rev})`,
          );
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      await written;
      checkEqual(
        sorted(await reader.chatbotSupportRecords('shop').load()),
        sorted(revision(revisions)),
        'the records after the last change',
      );
    },
  }),
];

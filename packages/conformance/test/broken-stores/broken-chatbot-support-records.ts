// Chatbots' support records that mix chatbots, drop the counters, or save and read changes in parts.
import { createInMemorySupportRecordsStore, type HandoffStores, type SupportRecords } from '@handoff/core';
import { type BrokenStores, brokenStores } from './broken-store.js';

/** The stores with every chatbot's records store replaced by `breakIt` of the real one. */
const withChatbotRecords = (
  fails: readonly string[],
  breakIt: (
    records: ReturnType<HandoffStores['chatbotSupportRecords']>,
  ) => ReturnType<HandoffStores['chatbotSupportRecords']>,
) =>
  brokenStores(fails, (stores) => {
    const broken = new Map<string, ReturnType<HandoffStores['chatbotSupportRecords']>>();
    return {
      ...stores,
      chatbotSupportRecords(chatbotId) {
        const records = broken.get(chatbotId) ?? breakIt(stores.chatbotSupportRecords(chatbotId));
        broken.set(chatbotId, records);
        return records;
      },
    };
  });

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

export const brokenChatbotSupportRecords: Record<string, BrokenStores> = {
  'keeps one set of support records for every chatbot': brokenStores(
    ['chatbot-support-records/apart'],
    (stores) => {
      const shared = createInMemorySupportRecordsStore();
      return { ...stores, chatbotSupportRecords: () => shared };
    },
  ),
  'drops the counters of a chatbot’s support records': withChatbotRecords(
    [
      'chatbot-support-records/changes-saved',
      'chatbot-support-records/apart',
      'chatbot-support-records/failed-commit-changes-nothing',
      'chatbot-support-records/loads-whole-changes',
    ],
    (records) => ({
      load: records.load,
      persistence: { commit: (change) => records.persistence.commit({ ...change, counters: null }) },
    }),
  ),
  'saves a chatbot’s change record by record': withChatbotRecords(
    ['chatbot-support-records/failed-commit-changes-nothing', 'chatbot-support-records/loads-whole-changes'],
    (records) => ({
      load: records.load,
      persistence: {
        async commit(change) {
          const { counters } = change;
          for (const user of change.users) {
            await records.persistence.commit({ users: [user], conversations: [], counters });
            await nextTurn();
          }
          for (const conversation of change.conversations) {
            await records.persistence.commit({ users: [], conversations: [conversation], counters });
            await nextTurn();
          }
        },
      },
    }),
  ),
  'reads a chatbot’s records and its counters apart': withChatbotRecords(
    ['chatbot-support-records/loads-whole-changes'],
    (records) => ({
      persistence: records.persistence,
      async load() {
        const first = await records.load();
        await nextTurn();
        const second = await records.load();
        if (first === undefined || second === undefined) return first;
        return { ...first, counters: second.counters } satisfies SupportRecords;
      },
    }),
  ),
  'answers empty records for a chatbot that never saved': withChatbotRecords(
    ['chatbot-support-records/new-chatbot', 'chatbot-support-records/apart'],
    (records) => ({
      persistence: records.persistence,
      load: async () => (await records.load()) ?? { users: [], conversations: [], counters: undefined },
    }),
  ),
};

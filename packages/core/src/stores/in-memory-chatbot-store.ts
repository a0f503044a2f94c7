// Chatbot configurations in process memory, with watchers told of every change.
import type {
  ChatbotChange,
  ChatbotChangeListener,
  ChatbotRecord,
  ChatbotStore,
} from '../contract/chatbot-store.js';

/** Compares ids as strings. */
const compareChatbotIds = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

/** Chatbots in a map, gone with the process; watchers are told synchronously after each change. */
export function createInMemoryChatbotStore(): ChatbotStore {
  const records = new Map<string, ChatbotRecord>();
  const listeners = new Set<ChatbotChangeListener>();
  const tell = (change: ChatbotChange) => {
    for (const listener of [...listeners]) listener(change);
  };
  return {
    async get(id) {
      return records.get(id);
    },
    async list(options = {}) {
      const ids = [...records.keys()]
        .filter((id) => options.after === undefined || id > options.after)
        .sort(compareChatbotIds);
      return ids.slice(0, options.limit ?? ids.length).map((id) => records.get(id) as ChatbotRecord);
    },
    async put(id, document, expectedRevision) {
      const current = records.get(id);
      if ((current?.revision ?? 0) !== expectedRevision) return { written: false, current };
      const record = { id, revision: expectedRevision + 1, document };
      records.set(id, record);
      tell({ type: 'written', id, revision: record.revision });
      return { written: true, record };
    },
    async delete(id, expectedRevision) {
      const current = records.get(id);
      if (current === undefined) return false;
      if (expectedRevision !== undefined && current.revision !== expectedRevision) return false;
      records.delete(id);
      tell({ type: 'deleted', id });
      return true;
    },
    async watch(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

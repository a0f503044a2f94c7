// An in-process support system's records in process memory: a map per kind, a change at once.
import type {
  ChatbotSupportRecordsStore,
  SupportRecord,
  SupportRecords,
} from '../contract/support-records-store.js';

/**
 * Records of an in-process support system in process memory, gone with the process: each change
 * copied whole first (so a record that cannot be copied changes nothing), then applied at once;
 * `load()` answers copies, undefined until the first change.
 */
export function createInMemorySupportRecordsStore(): ChatbotSupportRecordsStore {
  const users = new Map<string, SupportRecord>();
  const conversations = new Map<string, SupportRecord>();
  let counters: { value: unknown } | undefined;
  return {
    async load() {
      if (counters === undefined) return undefined;
      return structuredClone({
        users: [...users.values()],
        conversations: [...conversations.values()],
        counters: counters.value,
      } satisfies SupportRecords);
    },
    persistence: {
      commit(change) {
        const copy = structuredClone(change);
        for (const user of copy.users) users.set(user.id, user);
        for (const conversation of copy.conversations) conversations.set(conversation.id, conversation);
        counters = { value: copy.counters };
      },
    },
  };
}

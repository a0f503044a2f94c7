// Chatbot stores that overwrite without comparing revisions, or tell watchers nothing.
import { type BrokenStores, brokenStores } from './broken-store.js';

export const brokenChatbotStores: Record<string, BrokenStores> = {
  'writes a chatbot whatever revision was expected': brokenStores(
    // Watchers are told of the write it should have refused, too.
    ['chatbots/compare-and-set', 'chatbots/watchers-told'],
    (stores) => ({
      ...stores,
      chatbots: {
        ...stores.chatbots,
        put: async (id, document) => {
          const current = await stores.chatbots.get(id);
          return stores.chatbots.put(id, document, current?.revision ?? 0);
        },
      },
    }),
  ),
  'tells chatbot watchers nothing': brokenStores(['chatbots/watchers-told'], (stores) => ({
    ...stores,
    chatbots: { ...stores.chatbots, watch: async () => () => undefined },
  })),
  'gives every chatbot the default storage': brokenStores(['chatbot-storage/apart'], (stores) => ({
    ...stores,
    chatbotStorage: () => stores.storage,
  })),
};

// Mailboxes that lose the order or the uniqueness of a user's messages.
import { type BrokenStores, brokenStores } from './broken-store.js';

export const brokenMailboxes: Record<string, BrokenStores> = {
  'reads a mailbox back newest first': brokenStores(
    [
      'mailbox/numbers-in-order',
      'mailbox/once-per-message-id',
      'mailbox/after-a-sequence',
      'mailbox/users-apart',
      'mailbox/concurrent-appends',
    ],
    (stores) => ({
      ...stores,
      mailbox: {
        append: (userKey, message) => stores.mailbox.append(userKey, message),
        after: async (userKey, sequence, limit) =>
          (await stores.mailbox.after(userKey, sequence, limit)).reverse(),
      },
    }),
  ),
  'appends a repeated message again': brokenStores(['mailbox/once-per-message-id'], (stores) => {
    let copies = 0;
    return {
      ...stores,
      mailbox: {
        append: async (userKey, message) => {
          const entry = await stores.mailbox.append(userKey, message);
          if (entry.fresh) return entry;
          return stores.mailbox.append(userKey, { ...message, id: `${message.id}#copy-${++copies}` });
        },
        after: async (userKey, sequence, limit) =>
          (await stores.mailbox.after(userKey, sequence, limit)).map((entry) => ({
            ...entry,
            message: { ...entry.message, id: entry.message.id.replace(/#copy-\d+$/, '') },
          })),
      },
    };
  }),
};

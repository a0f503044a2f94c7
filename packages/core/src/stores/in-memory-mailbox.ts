// A mailbox in process memory.

import type { Mailbox, MailboxEntry } from '../contract/mailbox.js';
import type { OutboundMessage } from '../session/handoff-session.js';

/** Every user's messages in process memory, numbered by one counter for all users. */
export function createInMemoryMailbox(): Mailbox {
  const mail = new Map<string, MailboxEntry[]>();
  let sequence = 0;
  return {
    async append(userKey, message: OutboundMessage) {
      const entries = mail.get(userKey) ?? [];
      const existing = entries.find((entry) => entry.message.id === message.id);
      if (existing !== undefined) return { ...structuredClone(existing), fresh: false };
      const entry = { sequence: ++sequence, message: structuredClone(message) };
      entries.push(entry);
      mail.set(userKey, entries);
      return { ...structuredClone(entry), fresh: true };
    },
    async after(userKey, after, limit = 500) {
      return structuredClone(
        (mail.get(userKey) ?? []).filter((entry) => entry.sequence > after).slice(0, limit),
      );
    },
  };
}

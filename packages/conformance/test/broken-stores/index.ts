// Every broken set of stores the stores kit's own tests run it against.
import { brokenChatbotStores } from './broken-chatbot-stores.js';
import { brokenChatbotSupportRecords } from './broken-chatbot-support-records.js';
import { brokenFiles } from './broken-files.js';
import { brokenHubs } from './broken-hubs.js';
import { brokenMailboxes } from './broken-mailboxes.js';
import { brokenSmallStores } from './broken-small-stores.js';
import type { BrokenStores } from './broken-store.js';

export const brokenStoreVariants: Record<string, BrokenStores> = {
  ...brokenMailboxes,
  ...brokenHubs,
  ...brokenFiles,
  ...brokenSmallStores,
  ...brokenChatbotStores,
  ...brokenChatbotSupportRecords,
};

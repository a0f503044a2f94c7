// The complete set of stores a host of the engines needs, from one storage backend.
import type { OutboxWorkerSettings } from '../delivery/outbox-worker.js';
import type { BotStateStore } from './bot-state-store.js';
import type { ChatbotStore } from './chatbot-store.js';
import type { FileStore } from './file-store.js';
import type { HandoffStorage } from './handoff-storage.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { LiveEventHub } from './live-event-hub.js';
import type { Mailbox } from './mailbox.js';
import type { ChatbotSupportRecordsStore, SupportRecordsStore } from './support-records-store.js';

/**
 * Everything a host of the engines stores, from one backend (in memory, SQLite, Redis, yours):
 * the engines' sessions and outboxes, and around them what a channel API needs (mailboxes,
 * idempotency records, uploaded files, live events) and what several instances share (turns of
 * periodic tasks, secrets generated once, the state of bots the host runs).
 */
export interface HandoffStores {
  /** Sessions and outbox of the handoff engine (external mode). */
  storage: HandoffStorage;
  /**
   * Sessions and outbox of the bot-host engine (internal mode), apart from the handoff engine's,
   * so each engine delivers only its own items. Opened on first use.
   */
  botHostStorage(): HandoffStorage;
  /**
   * Sessions and outbox of the handoff engine of one chatbot a host serves beside the default one
   * (chatbots as data), apart from every other chatbot's and from `storage`: each chatbot's
   * deliveries have their own lanes and retries. The same storage for the same id; opened on first use.
   */
  chatbotStorage(chatbotId: string): HandoffStorage;
  mailbox: Mailbox;
  idempotency: IdempotencyStore;
  files: FileStore;
  /** Live event streams of every user, reached from whichever instance delivers. */
  hub: LiveEventHub;
  botState: BotStateStore;
  /** The chatbots a host serves, as data (configurations with revisions), seen by every instance. */
  chatbots: ChatbotStore;
  /** The in-process support system's records, saved with every change (absent: process memory only). */
  supportRecords?: SupportRecordsStore;
  /**
   * The records of the in-process support system of one chatbot a host serves beside the default
   * one (chatbots as data), saved with every change, apart from every other chatbot's and from
   * `supportRecords`. The same records for the same id; opened on first use.
   */
  chatbotSupportRecords(chatbotId: string): ChatbotSupportRecordsStore;
  /**
   * True when this instance should run the periodic task `task` now: with several instances on
   * the backend, only one of them per `periodMs` (catching up with the support system, pruning).
   */
  claimTurn(task: string, periodMs: number): Promise<boolean>;
  /**
   * A secret generated at random the first time it is asked for and kept: the same one on every
   * instance and after every restart (the in-process system's token and webhook secret).
   */
  installationSecret(name: string): Promise<string>;
  /** Delivery worker settings a backend shared by several instances needs (leases, polling). */
  delivery?: Pick<OutboxWorkerSettings, 'leaseMs' | 'idlePollMs'>;
  /** What the backend found worth an operator's attention when opened (to log as warnings). */
  warnings?: readonly string[];
  /** Resolves when the backend answers (readiness); rejects with a StorageUnavailableError. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

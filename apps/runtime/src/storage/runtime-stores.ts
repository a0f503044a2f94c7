import type { HandoffStorage, OutboundMessage, OutboxWorkerSettings } from '@handoff/core';
import type { ChannelHub } from '../channels/channel-hub.js';
import type { FileStore } from '../files/file-store.js';
import type { BotStateStore } from './bot-state-store.js';
import type { MemorySupportStore } from './memory-support-store.js';

/** An outbound message as kept for a user: its place in their stream and the message. */
export interface MailboxEntry {
  sequence: number;
  message: OutboundMessage;
}

/**
 * Every outbound message of every user, in order, so a client that was away (no SSE connection,
 * a lost callback) can fetch what it missed: nothing sent to a user only lives in a socket.
 */
export interface Mailbox {
  /** Stores `message` once per message id; `fresh` is false when it was already there. */
  append(userKey: string, message: OutboundMessage): Promise<MailboxEntry & { fresh: boolean }>;
  /** Entries after `sequence`, oldest first. */
  after(userKey: string, sequence: number, limit?: number): Promise<MailboxEntry[]>;
}

/** Answers to channel calls with a client message id, so a repeated call gets the same answer. */
export interface IdempotencyStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, response: string): Promise<void>;
}

/** Everything the runtime stores. */
export interface RuntimeStores {
  storage: HandoffStorage;
  mailbox: Mailbox;
  idempotency: IdempotencyStore;
  /** Files uploaded through the runtime, served at unguessable URLs. */
  files: FileStore;
  /**
   * Bot sessions and outbox of internal mode (agent bot), apart from the channel's, so each engine
   * delivers only its own items. Opened on first use.
   */
  agentBotStorage(): HandoffStorage;
  /** Live event streams of every user, reached from whichever instance delivers. */
  hub: ChannelHub;
  /**
   * True when this instance should run the periodic task `task` now: with several instances,
   * only one of them per `periodMs` (catching up with the support system, pruning).
   */
  claimTurn(task: string, periodMs: number): Promise<boolean>;
  /** Delivery worker settings a storage shared by several instances needs (leases, polling). */
  delivery?: Pick<OutboxWorkerSettings, 'leaseMs' | 'idlePollMs'>;
  /** What the storage found worth an operator's attention at start (logged as warnings). */
  warnings?: readonly string[];
  /** What bots the runtime runs (the demo bot) keep between turns, shared by every instance. */
  botState: BotStateStore;
  /** The in-process support system's records, saved with every change (absent: process memory only). */
  memorySupport?: MemorySupportStore;
  /**
   * A secret generated at random the first time it is asked for and kept: the same one on every
   * instance and after every restart (the in-process system's token and webhook secret).
   */
  installationSecret(name: string): Promise<string>;
  /** Checks the storage answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

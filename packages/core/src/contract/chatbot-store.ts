// The port for chatbot configurations: chatbots as data, each with a revision, and news of changes.

/** A chatbot's configuration as stored: opaque to the store (the host encrypts secrets first). */
export interface ChatbotRecord {
  id: string;
  /** 1 when created, one more with every write. */
  revision: number;
  /** The configuration, JSON text as the host wrote it. */
  document: string;
}

/** What a compare-and-set write did: written (the new record) or refused (what is stored now). */
export type ChatbotWrite =
  | { written: true; record: ChatbotRecord }
  | { written: false; current: ChatbotRecord | undefined };

/**
 * What a watcher is told: a chatbot written (created or updated) or deleted, on any instance, or
 * `resync` (changes may have been missed: read again what you hold).
 */
export type ChatbotChange =
  | { type: 'written'; id: string; revision: number }
  | { type: 'deleted'; id: string }
  | { type: 'resync' };

export type ChatbotChangeListener = (change: ChatbotChange) => void;

export interface ChatbotListOptions {
  /** Only chatbots whose id sorts after this one (paging). */
  after?: string;
  /** At most this many. Default: all. */
  limit?: number;
}

/**
 * Where a host keeps its chatbots: each configuration under its id with a revision, written by
 * compare-and-set so two administrators never overwrite each other unknowingly, and a way for
 * every instance on the backend to learn of a change within a second.
 */
export interface ChatbotStore {
  /** The chatbot stored under `id`, or undefined. */
  get(id: string): Promise<ChatbotRecord | undefined>;
  /** Chatbots in id order (ids compared as strings). */
  list(options?: ChatbotListOptions): Promise<ChatbotRecord[]>;
  /**
   * Stores `document` under `id` when the stored revision is `expectedRevision` (0: no chatbot
   * under `id` yet); the record written has the next revision. Refused otherwise, saying what is
   * stored. Watchers on every instance are told.
   */
  put(id: string, document: string, expectedRevision: number): Promise<ChatbotWrite>;
  /**
   * Deletes the chatbot under `id` (when its revision is `expectedRevision`, if given). True when
   * something was deleted. Watchers on every instance are told.
   */
  delete(id: string, expectedRevision?: number): Promise<boolean>;
  /** Resolves, with the stop function, once changes from now on (on any instance) reach `listener`. */
  watch(listener: ChatbotChangeListener): Promise<() => void>;
}

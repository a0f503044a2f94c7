// The ports for the records of an in-process support system (@handoff/memory's), kept by the host.

/** A record of the system (a user, a conversation with its messages), stored as it is given. */
export interface SupportRecord {
  id: string;
}

/** Everything the system saved: its records and its id counters. */
export interface SupportRecords {
  users: SupportRecord[];
  conversations: SupportRecord[];
  counters: unknown;
}

/**
 * Where a host keeps an in-process support system: each change (the records it touched, as they
 * are now, and the counters) saved in one transaction before the system answers or tells anyone.
 * Records are opaque here; the system reads back what it wrote.
 */
export interface SupportRecordsStore {
  /** The records saved so far; undefined for a new installation. */
  load(): Promise<SupportRecords | undefined>;
  persistence: {
    /** Saves a change: records replace those with the same id, the counters replace the old. */
    commit(change: SupportRecords): void | Promise<void>;
  };
  /**
   * Makes this process the one running the system (its records change in one process only).
   * Rejects, naming why, when another running instance holds it.
   */
  claim(): Promise<void>;
  /** Gives the system up (on close). */
  release(): Promise<void>;
}

/**
 * Where a host keeps the in-process support system of one chatbot it serves beside the default one
 * (`HandoffStores.chatbotSupportRecords(id)`): `load` and `persistence.commit` as in
 * `SupportRecordsStore` (records replace those with the same id, the counters replace the old, a
 * change in one transaction; `load()` is undefined for a chatbot that never saved), kept apart per
 * chatbot and from the default records. No claim: the host claims the default `supportRecords`
 * once for every in-process system it runs.
 */
export type ChatbotSupportRecordsStore = Pick<SupportRecordsStore, 'load' | 'persistence'>;

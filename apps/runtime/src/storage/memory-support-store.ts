import type { MemorySystemPersistence, MemorySystemState } from '@handoff/memory';

/**
 * Where the runtime keeps the in-process support system: its records (users, conversations with
 * their messages, id counters), each change saved before the system answers it or tells anyone.
 */
export interface MemorySupportStore {
  /** The records saved so far; undefined for a new installation. */
  load(): Promise<MemorySystemState | undefined>;
  persistence: MemorySystemPersistence;
  /**
   * Makes this process the one running the system (its records change in one process only).
   * Rejects, naming why, when another running instance holds it.
   */
  claim(): Promise<void>;
  /** Gives the system up (on close). */
  release(): Promise<void>;
}

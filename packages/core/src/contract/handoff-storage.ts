// The storage port of an engine: its sessions and the outbox they write to, from one storage engine.
import type { Outbox } from './outbox.js';
import type { SessionStore } from './session-store.js';

/** Sessions and the outbox they write to, from one storage engine. */
export interface HandoffStorage {
  sessions: SessionStore;
  outbox: Outbox;
}

// A whole storage in process memory: sessions and the outbox they write to.

import type { HandoffStorage } from '../contract/handoff-storage.js';
import { createInMemoryOutbox } from '../delivery/in-memory-outbox.js';
import { createInMemorySessionStore } from './in-memory-session-store.js';

/** Sessions and outbox in process memory: for tests, demos and hosts that keep state elsewhere. */
export function createInMemoryStorage(): HandoffStorage & { sessions: { readonly size: number } } {
  const outbox = createInMemoryOutbox();
  return { sessions: createInMemorySessionStore({ outbox }), outbox };
}

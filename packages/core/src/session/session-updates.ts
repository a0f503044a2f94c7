// Session writes: a change applied with compare-and-set (re-read and re-applied on conflict), with
// the outbox items it implies stored in the same write.

import type { NewOutboxItem } from '../contract/outbox.js';
import type { SessionStore, StoredSession } from '../contract/session-store.js';
import type { HandoffSession } from './handoff-session.js';

const maxUpdateAttempts = 25;

/** What a session update returns: the changed session with the items it implies, or nothing to write. */
type UpdateOutcome<Result> =
  | { session: HandoffSession; items?: NewOutboxItem[]; result: Result }
  | { skip: Result };

export interface SessionUpdaterSettings {
  sessions: Pick<SessionStore, 'get' | 'compareAndSet'>;
  now: () => Date;
  /** Told after a write that enqueued items: the delivery worker has something to do. */
  onEnqueued: () => void;
  /**
   * Told as a write with items goes to the store, before it commits: a worker woken now can claim
   * them in the same commit where the store groups the writes of an event-loop turn (SQLite), one
   * turn sooner. In addition to `onEnqueued`, never instead: other stores commit first.
   */
  onEnqueuing?: () => void;
  /** How the error names what kept changing. Default `session`. */
  subject?: string;
}

export interface SessionUpdater {
  /**
   * Applies `mutate` to the stored session with compare-and-set, re-reading and re-applying on
   * conflict; the items are enqueued in the same write. `read`: a read the caller just made,
   * which saves the first one (a conflict re-reads as usual).
   */
  update<Result>(
    key: string,
    mutate: (session: HandoffSession | undefined) => UpdateOutcome<Result>,
    options?: { read?: StoredSession | undefined },
  ): Promise<Result>;
}

export function createSessionUpdater(settings: SessionUpdaterSettings): SessionUpdater {
  const { sessions, now } = settings;
  const subject = settings.subject ?? 'session';
  return {
    async update(key, mutate, options = {}) {
      let first = 'read' in options ? { stored: options.read } : undefined;
      for (let attempt = 0; attempt < maxUpdateAttempts; attempt += 1) {
        const stored = first === undefined ? await sessions.get(key) : first.stored;
        first = undefined;
        const outcome = mutate(stored?.session);
        if ('skip' in outcome) return outcome.skip;
        outcome.session.updatedAt = now().toISOString();
        const items = outcome.items ?? [];
        const writing = sessions.compareAndSet(key, stored?.version, outcome.session, items);
        if (items.length > 0) settings.onEnqueuing?.();
        const written = await writing;
        if (written) {
          if (items.length > 0) settings.onEnqueued();
          return outcome.result;
        }
      }
      throw new Error(`${subject} ${key} kept changing under ${maxUpdateAttempts} concurrent updates`);
    },
  };
}

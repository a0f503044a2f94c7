// Group commit: the writes asked for in one turn of the event loop share one SQLite transaction.
import type { SqliteDatabase } from './sqlite-database.js';

export interface CommitGroup {
  /**
   * Runs `write` in the next shared transaction and resolves with its result once that
   * transaction committed (never before: what the caller acknowledges is on disk as the
   * `synchronous` setting promises). Each write runs in a savepoint of its own: one that throws
   * is undone alone and rejects alone. A commit that fails rejects every write of the group.
   */
  run<Result>(write: () => Result): Promise<Result>;
}

type Queued = { write: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Writes asked for together (messages accepted within the same event-loop turn, deliveries
 * finishing together) commit together: one transaction's fixed cost (the WAL append, and with
 * `synchronous = FULL` the fsync) instead of one each. A write waits one event-loop turn at most.
 */
export function createCommitGroup(database: SqliteDatabase): CommitGroup {
  let queued: Queued[] = [];
  const flush = () => {
    const group = queued;
    queued = [];
    const outcomes: Outcome[] = [];
    try {
      database.transaction(() => {
        for (const { write } of group) {
          try {
            // A transaction inside a transaction is a savepoint (better-sqlite3).
            outcomes.push({ ok: true, value: database.transaction(write)() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const entry of group) entry.reject(error);
      return;
    }
    group.forEach((entry, index) => {
      const outcome = outcomes[index] as Outcome;
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  };
  return {
    run<Result>(write: () => Result) {
      return new Promise<Result>((resolve, reject) => {
        queued.push({ write, resolve: resolve as (value: unknown) => void, reject });
        if (queued.length === 1) setImmediate(flush);
      });
    },
  };
}

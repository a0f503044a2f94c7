// The live-event hub over LISTEN/NOTIFY: events cross instances, at most once, whatever their size.
import { createLiveEventListeners, type LiveEvent, type LiveEventHub } from '@handoff/core';
import type { PostgresDatabase } from './postgres-database.js';

/**
 * NOTIFY refuses payloads of 8000 bytes or more (in the server's encoding; UTF-8 here). Smaller
 * notifications carry the event; larger events are written to a table and the notification
 * carries the row's id.
 */
const notifyPayloadLimit = 8_000;

/**
 * A hub shared by every instance through one NOTIFY channel per deployment. A notification is
 * `<user key as JSON>\n<event as JSON>`, or `<user key as JSON>\n@<id>` for an event kept in the
 * table because it is too large; each instance passes on only what its own listeners' users get
 * (and reads the table only for them), in the order notifications arrive, which is the order
 * they were published in. `notified` takes the channel's notifications; `resync` tells every
 * listener to read the mailbox again (after the listening connection was lost).
 */
export function createPostgresLiveEventHub(settings: {
  database: PostgresDatabase;
  /** The deployment's NOTIFY channel. */
  channel: string;
  /** Where events too large for a notification wait to be read. */
  table: string;
}): LiveEventHub & {
  notified(payload: string): void;
  resync(): void;
  /** Drops events kept in the table before `before` (epoch ms). */
  prune(before: number): Promise<number>;
} {
  const { database, channel, table } = settings;
  const registry = createLiveEventListeners();
  const present = new Map<string, number>();
  let delivering: Promise<unknown> = Promise.resolve();
  let closed = false;

  const read = async (payload: string) => {
    const split = payload.indexOf('\n');
    if (split === -1) return;
    let userKey: string;
    try {
      userKey = JSON.parse(payload.slice(0, split)) as string;
    } catch {
      return;
    }
    if (closed || !present.has(userKey)) return;
    let body = payload.slice(split + 1);
    if (body.startsWith('@')) {
      const kept = await database
        .query<{ data: string }>(`SELECT data FROM ${table} WHERE id = $1`, [body.slice(1)])
        .catch(() => undefined);
      const data = kept?.rows[0]?.data;
      if (data === undefined) return;
      body = data;
    }
    let event: LiveEvent;
    try {
      event = JSON.parse(body) as LiveEvent;
    } catch {
      return;
    }
    registry.dispatch(userKey, event);
  };

  return {
    notified(payload) {
      // One after another: an event read from the table is not overtaken by the next one.
      delivering = delivering.then(() => read(payload)).catch(() => undefined);
    },
    resync() {
      registry.dispatchAll({ type: 'resync' });
    },
    async subscribe(userKey, handler) {
      const { remove } = registry.add(userKey, handler);
      present.set(userKey, (present.get(userKey) ?? 0) + 1);
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        remove();
        const left = (present.get(userKey) ?? 1) - 1;
        if (left === 0) present.delete(userKey);
        else present.set(userKey, left);
      };
    },
    async publish(userKey, event) {
      const head = `${JSON.stringify(userKey)}\n`;
      const body = JSON.stringify(event);
      const inline = head + body;
      if (Buffer.byteLength(inline) < notifyPayloadLimit) {
        await database.query('SELECT pg_notify($1, $2)', [channel, inline]);
        return;
      }
      await database.query(
        `WITH kept AS (INSERT INTO ${table} (data, created_at) VALUES ($1, $2) RETURNING id)
         SELECT pg_notify($3, $4 || '@' || id) FROM kept`,
        [body, Date.now(), channel, head],
      );
    },
    get connections() {
      return registry.connections;
    },
    async prune(before) {
      const result = await database.query(`DELETE FROM ${table} WHERE created_at < $1`, [before]);
      return result.rowCount ?? 0;
    },
    async close() {
      closed = true;
    },
  };
}

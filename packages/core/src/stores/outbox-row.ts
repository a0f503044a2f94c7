// The outbox as SQL backends keep it: one row per item in snake_case columns, and the item a row is.
import type { OutboxItem } from '../contract/outbox.js';

/** An outbox item as an SQL table stores it (SQLite, PostgreSQL); the payload as JSON text. */
export interface OutboxRow {
  seq: number;
  id: string;
  lane: string;
  kind: string;
  payload: string;
  attempts: number;
  claims: number;
  available_at: number;
  created_at: number;
  last_error: string | null;
  reason: string | null;
  parked_at: number | null;
}

/** The item a row holds. */
export function outboxItemFromRow(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    lane: row.lane,
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    attempts: row.attempts,
    claims: row.claims,
    availableAt: row.available_at,
    createdAt: row.created_at,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
  };
}

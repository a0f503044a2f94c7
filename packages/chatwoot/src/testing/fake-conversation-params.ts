import { readInteger, readString } from './fake-params.js';
import type { FakeConversationStatus } from './fake-records.js';

const statuses: readonly FakeConversationStatus[] = ['open', 'resolved', 'pending', 'snoozed'];

export function readStatus(value: unknown): FakeConversationStatus | { error: string } | undefined {
  const status = readString(value);
  if (status === undefined) return undefined;
  const known = statuses.find((candidate) => candidate === status);
  // Rails raises ArgumentError on an unknown enum value, which nothing rescues: the caller answers 500.
  return known ?? { error: `'${status}' is not a valid status` };
}

/** Unix seconds or an ISO time (what `ConversationBuilder` casts). */
export function readTime(value: unknown): Date | null {
  const seconds = readInteger(value);
  if (seconds !== undefined) return new Date(seconds * 1000);
  const text = readString(value);
  const parsed = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(parsed) ? null : new Date(parsed);
}

const priorities = ['urgent', 'high', 'medium', 'low'];

/** `toggle_status`'s `snoozed_until`: `DateTime.strptime(x, '%s')`, unix seconds only. */
export function readUnixSeconds(value: unknown): Date | null | { error: string } {
  if (value === undefined || value === null) return null;
  const seconds = readInteger(value);
  return seconds === undefined ? { error: 'invalid date' } : new Date(seconds * 1000);
}

/** A priority, null to clear it (blank clears too, `priority.presence`), or an error for an unknown one. */
export function readPriority(value: unknown): string | null | { error: string } {
  const text = readString(value);
  const priority = text === undefined || text === '' ? null : text;
  if (priority === null || priorities.includes(priority)) return priority;
  return { error: `'${priority}' is not a valid priority` };
}

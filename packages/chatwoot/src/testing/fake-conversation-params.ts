import { readInteger, readString } from './fake-params.js';
import type { FakeConversationStatus } from './fake-records.js';

const statuses: readonly FakeConversationStatus[] = ['open', 'resolved', 'pending', 'snoozed'];

export function readStatus(value: unknown): FakeConversationStatus | { error: string } | undefined {
  const status = readString(value);
  if (status === undefined) return undefined;
  const known = statuses.find((candidate) => candidate === status);
  // Rails raises on an unknown enum value; the fake answers 422 instead of a 500. *(deviation)*
  return known ?? { error: `'${status}' is not a valid status` };
}

/** Unix seconds or an ISO time. */
export function readTime(value: unknown): Date | null {
  const seconds = readInteger(value);
  if (seconds !== undefined) return new Date(seconds * 1000);
  const text = readString(value);
  const parsed = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(parsed) ? null : new Date(parsed);
}

const priorities = ['urgent', 'high', 'medium', 'low'];

/** A priority, null to clear it, or the 422 text for an unknown one. */
export function readPriority(value: unknown): string | null | { error: string } {
  const priority = readString(value) ?? null;
  if (priority === null || priorities.includes(priority)) return priority;
  return { error: `'${priority}' is not a valid priority` };
}

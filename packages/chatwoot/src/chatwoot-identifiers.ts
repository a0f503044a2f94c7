import { createHash } from 'node:crypto';
import { SupportError } from '@handoff/core';
import { sourceIdPrefix } from './webhook/chatwoot-webhook-events.js';

/** The `source_id` of what the adapters post: how echoes and retries are recognised. */
export function sourceIdOf(kind: 'message' | 'transfer' | 'close', key: string): string {
  return `${sourceIdPrefix}${kind}:${key}`;
}

/** A note's idempotency key: the same note in the same conversation is posted once. */
export function noteKey(conversationId: string, note: string): string {
  return `${conversationId}:${createHash('sha256').update(note).digest('hex').slice(0, 24)}`;
}

/** Chatwoot ids in paths are numbers; anything else is refused before a call is made. */
export function numericId(value: string, what: string, operation: string): number {
  if (!/^\d{1,12}$/.test(value)) {
    throw new SupportError({
      code: 'invalid_request',
      message: `Chatwoot ${what} ids are numbers; got "${value}"`,
      provider: 'chatwoot',
      operation,
    });
  }
  return Number(value);
}

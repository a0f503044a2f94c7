import { randomUUID } from 'node:crypto';
import type { WebhookRequest } from '@handoff/core';
import { signTimestampedBody } from '@handoff/http';

export type WebhookListener = (request: WebhookRequest) => void | Promise<void>;

/** Header names of the in-process system's webhooks. */
export const memoryWebhookHeaders = {
  signature: 'x-memory-signature',
  timestamp: 'x-memory-timestamp',
  delivery: 'x-memory-delivery',
} as const;

/**
 * Sends webhooks the way a remote system does: a JSON body, a delivery id, a timestamp and an
 * HMAC-SHA256 signature over "<timestamp>.<body>", delivered asynchronously to every subscriber.
 */
export function createWebhookEmitter(settings: { secret: string; now: () => Date }) {
  const listeners = new Set<WebhookListener>();
  let pending = 0;
  const idleWaiters: Array<() => void> = [];
  const settle = () => {
    pending -= 1;
    if (pending === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  };
  return {
    subscribe(listener: WebhookListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(payload: unknown): WebhookRequest {
      const body = JSON.stringify(payload);
      const timestamp = Math.floor(settings.now().getTime() / 1000);
      const request: WebhookRequest = {
        headers: {
          'content-type': 'application/json',
          [memoryWebhookHeaders.delivery]: randomUUID(),
          [memoryWebhookHeaders.timestamp]: String(timestamp),
          [memoryWebhookHeaders.signature]: signTimestampedBody({ secret: settings.secret, timestamp, body }),
        },
        body,
      };
      for (const listener of listeners) {
        pending += 1;
        setImmediate(() => {
          Promise.resolve()
            .then(() => listener({ headers: { ...request.headers }, body }))
            .catch(() => {
              // A remote system does not care whether the receiver failed; neither does this one.
            })
            .finally(settle);
        });
      }
      return request;
    },
    /** Resolves once every delivery made so far has been handed to its listeners. */
    idle(): Promise<void> {
      if (pending === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { WebhookRequest } from '@handoff/core';
import { signTimestampedBody } from '@handoff/http';
import { request } from 'undici';

export type WebhookListener = (request: WebhookRequest) => void | Promise<void>;

export interface WebhookDeliverySettings {
  /** The inbox secret (read at delivery time: it can be rotated). */
  secret: () => string;
  /** The inbox `webhook_url`, if any. */
  url: () => string | undefined;
  sign: boolean;
  now: () => Date;
  /** The inbox URL refused (non-2xx, timeout, network) a message event about this message. */
  onMessageDeliveryFailed: (messageId: number, error: string) => void;
}

/** Chatwoot's webhook timeout (`WEBHOOK_TIMEOUT`, notes §3.2). */
const deliveryTimeoutMs = 5_000;

/**
 * Delivers webhooks the way Chatwoot's WebhookJob does (notes §3.2–3.3): after the API answer,
 * POST with a fresh `X-Chatwoot-Delivery`, signed over "<timestamp>.<body>" when signing is on,
 * tried once. Listeners see the same delivery as the URL. Deliveries go out one at a time, in the
 * order the changes happened.
 */
export function createWebhookDelivery(settings: WebhookDeliverySettings) {
  const listeners = new Set<WebhookListener>();
  const stopper = new AbortController();
  let tail: Promise<void> = Promise.resolve();

  const headersFor = (body: string): Record<string, string> => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-chatwoot-delivery': randomUUID(),
    };
    if (settings.sign) {
      const timestamp = Math.floor(settings.now().getTime() / 1000);
      headers['x-chatwoot-timestamp'] = String(timestamp);
      headers['x-chatwoot-signature'] = signTimestampedBody({ secret: settings.secret(), timestamp, body });
    }
    return headers;
  };

  /** Undefined when the URL took it; otherwise why not. */
  const postToUrl = async (url: string, headers: Record<string, string>, body: string) => {
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([AbortSignal.timeout(deliveryTimeoutMs), stopper.signal]),
      });
      await response.body.dump();
      return response.statusCode >= 200 && response.statusCode < 300
        ? undefined
        : `Webhook delivery failed with HTTP ${response.statusCode}`;
    } catch (error) {
      return `Webhook delivery failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  const deliver = async (body: string, messageId: number | undefined) => {
    if (stopper.signal.aborted) return;
    const headers = headersFor(body);
    for (const listener of listeners) {
      try {
        await listener({ headers: { ...headers }, body });
      } catch {
        // Chatwoot does not care what the receiver does with a delivery; neither does the fake.
      }
    }
    const url = settings.url();
    if (url === undefined) return;
    const failure = await postToUrl(url, headers, body);
    if (failure !== undefined && messageId !== undefined && !stopper.signal.aborted) {
      settings.onMessageDeliveryFailed(messageId, failure);
    }
  };

  return {
    /** Queues a webhook; `messageId` for message events (a refused delivery marks it failed). */
    emit(payload: unknown, options: { messageId?: number } = {}): void {
      if (stopper.signal.aborted) return;
      const body = JSON.stringify(payload);
      tail = tail
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => deliver(body, options.messageId));
    },
    subscribe(listener: WebhookListener): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    /** Resolves once every webhook emitted so far (and those their failures caused) was delivered. */
    async idle(): Promise<void> {
      let seen: Promise<void>;
      do {
        seen = tail;
        await seen;
      } while (seen !== tail);
    },
    /** Drops what is queued and aborts deliveries in flight. */
    stop(): void {
      stopper.abort();
    },
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;

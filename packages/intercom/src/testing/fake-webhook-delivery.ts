import type { WebhookRequest } from '@handoff/core';
import { computeHmac } from '@handoff/http';
import { request } from 'undici';

export type WebhookListener = (request: WebhookRequest) => void | Promise<void>;

export interface WebhookDeliverySettings {
  /** The app's client secret, the HMAC-SHA1 key (read at delivery time). */
  secret: () => string;
  /** The subscription's endpoint, if any. */
  url: () => string | undefined;
}

/**
 * How long the fake waits for the endpoint. Intercom's timeout is not documented (facts §7: "respond
 * within 5 seconds" in third-party sources); this is our choice.
 */
const deliveryTimeoutMs = 5_000;

/** `X-Hub-Signature: sha1=<hex HMAC-SHA1(raw body, client_secret)>` (facts §7). */
export function hubSignature(secret: string, body: string): string {
  return `sha1=${computeHmac({ algorithm: 'sha1', secret, payload: body })}`;
}

/**
 * Delivers notifications the way Intercom's webhook service does (facts §7): a POST with the
 * headers of the official example, signed over the raw body. Listeners see the same delivery as
 * the URL. Deliveries go out one at a time, in the order the changes happened, and are tried once
 * (Intercom's retry policy is not documented).
 */
export function createWebhookDelivery(settings: WebhookDeliverySettings) {
  const listeners = new Set<WebhookListener>();
  const stopper = new AbortController();
  let tail: Promise<void> = Promise.resolve();

  const headersFor = (body: string): Record<string, string> => ({
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': 'intercom-parrot-service-client/1.0',
    'x-hub-signature': hubSignature(settings.secret(), body),
  });

  const postToUrl = async (url: string, headers: Record<string, string>, body: string) => {
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([AbortSignal.timeout(deliveryTimeoutMs), stopper.signal]),
      });
      await response.body.dump();
    } catch {
      // A refused or failed delivery is not retried, and changes nothing in the workspace.
    }
  };

  const deliver = async (body: string) => {
    if (stopper.signal.aborted) return;
    const headers = headersFor(body);
    for (const listener of listeners) {
      try {
        await listener({ headers: { ...headers }, body });
      } catch {
        // Intercom does not care what the receiver does with a delivery; neither does the fake.
      }
    }
    const url = settings.url();
    if (url !== undefined && !stopper.signal.aborted) await postToUrl(url, headers, body);
  };

  return {
    /** Queues a notification; its body is serialised now, exactly as it will be sent. */
    emit(payload: unknown): void {
      if (stopper.signal.aborted) return;
      const body = JSON.stringify(payload);
      tail = tail.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => deliver(body));
    },
    subscribe(listener: WebhookListener): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    /** Resolves once every notification emitted so far was delivered. */
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

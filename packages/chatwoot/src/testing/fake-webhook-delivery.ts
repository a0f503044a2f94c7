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
  /** The URL refused (non-2xx, timeout, network) a delivery, after any retries. */
  onFailed: (failure: { payload: unknown; messageId: number | undefined; error: string }) => void;
  /**
   * Tries again on these statuses (agent bots: 429 and 500, 3 attempts 3 s apart; notes §3.2).
   * Default: tried once.
   */
  retry?: { attempts: number; delayMs: number; statuses: readonly number[] };
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

  /** Undefined when the URL took it; otherwise why not, and the status if it answered. */
  const postOnce = async (
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ error: string; status?: number } | undefined> => {
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
        : { error: `Webhook delivery failed with HTTP ${response.statusCode}`, status: response.statusCode };
    } catch (error) {
      return { error: `Webhook delivery failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  };

  const postToUrl = async (url: string, headers: Record<string, string>, body: string) => {
    const retry = settings.retry ?? { attempts: 1, delayMs: 0, statuses: [] };
    let failure: { error: string; status?: number } | undefined;
    for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
      failure = await postOnce(url, headers, body);
      if (failure === undefined) return undefined;
      const retryable = failure.status !== undefined && retry.statuses.includes(failure.status);
      if (!retryable || attempt === retry.attempts || stopper.signal.aborted) break;
      await new Promise((resolve) => setTimeout(resolve, retry.delayMs));
    }
    return failure?.error;
  };

  const deliver = async (payload: unknown, body: string, messageId: number | undefined) => {
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
    if (failure !== undefined && !stopper.signal.aborted) {
      settings.onFailed({ payload, messageId, error: failure });
    }
  };

  return {
    /** Queues a webhook; `messageId` for message events (a refused delivery marks it failed). */
    emit(payload: unknown, options: { messageId?: number } = {}): void {
      if (stopper.signal.aborted) return;
      const body = JSON.stringify(payload);
      tail = tail
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => deliver(payload, body, options.messageId));
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

import type { WebhookRequest } from '@handoff/core';
import { request } from 'undici';

export type WebhookListener = (request: WebhookRequest) => void | Promise<void>;

export interface WebhookSenderSettings<Context> {
  /** The headers of one delivery (signature, delivery id, ...), made when it goes out. */
  headersFor: (body: string) => Record<string, string>;
  /** Where deliveries are POSTed, read at delivery time; undefined: only to the listeners. */
  url: () => string | undefined;
  /** How long the receiver has to answer. */
  timeoutMs: number;
  /** Tries again on these statuses, `attempts` times at most, `delayMs` apart. Default: tried once. */
  retry?: { attempts: number; delayMs: number; statuses: readonly number[] };
  /** The URL refused a delivery (non-2xx, timeout, network), after any retries. */
  onFailed?: (failure: { payload: unknown; context: Context | undefined; error: string }) => void;
}

/**
 * Sends webhooks the way a support system does, for fakes and in-process systems: each payload is
 * serialised when emitted, then delivered one at a time in emit order, to the listeners (which see
 * exactly what the URL gets) and to the URL, if any.
 */
export function createWebhookSender<Context = undefined>(settings: WebhookSenderSettings<Context>) {
  const listeners = new Set<WebhookListener>();
  const stopper = new AbortController();
  let tail: Promise<void> = Promise.resolve();

  /** Undefined when the URL took it; otherwise why not, and the status if it answered. */
  const postOnce = async (url: string, headers: Record<string, string>, body: string) => {
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([AbortSignal.timeout(settings.timeoutMs), stopper.signal]),
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

  const deliver = async (payload: unknown, body: string, context: Context | undefined) => {
    if (stopper.signal.aborted) return;
    const headers = settings.headersFor(body);
    for (const listener of listeners) {
      try {
        await listener({ headers: { ...headers }, body });
      } catch {
        // A system does not care what the receiver does with a delivery.
      }
    }
    const url = settings.url();
    if (url === undefined || stopper.signal.aborted) return;
    const failure = await postToUrl(url, headers, body);
    if (failure !== undefined && !stopper.signal.aborted)
      settings.onFailed?.({ payload, context, error: failure });
  };

  return {
    /** Queues a delivery; `context` comes back with a failure. */
    emit(payload: unknown, context?: Context): void {
      if (stopper.signal.aborted) return;
      const body = JSON.stringify(payload);
      tail = tail
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => deliver(payload, body, context));
    },
    subscribe(listener: WebhookListener): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    /** Resolves once every delivery emitted so far (and those their failures caused) went out. */
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

export type WebhookSender<Context = undefined> = ReturnType<typeof createWebhookSender<Context>>;

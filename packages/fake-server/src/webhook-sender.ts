/**
 * The webhook sender of a fake or an in-process system: deliveries signed by the fake's own
 * headers, ordered (one at a time) or concurrent, retried as the vendor does, with listeners that
 * see exactly what the URL gets.
 */
import { randomUUID } from 'node:crypto';
import type { WebhookRequest } from '@handoff/core';
import { seededRandom } from '@handoff/http';
import { request } from 'undici';

export type WebhookListener = (request: WebhookRequest) => void | Promise<void>;

/**
 * How deliveries leave the sender. `ordered`: one at a time, in emit order (for debugging).
 * `unordered`: each on its own after a short random pause, several at once, so they can arrive in
 * any order, as from a system whose webhook jobs run on a worker pool (Chatwoot's Sidekiq).
 */
export type WebhookOrder = 'ordered' | 'unordered';

/** A payload, or how to build it when the delivery goes out ("when the job runs"). */
export type WebhookPayload = unknown | (() => unknown);

export interface WebhookSenderSettings<Context> {
  /**
   * The headers of one attempt (signature, delivery id, ...), made as it goes out. `deliveryId`
   * stays the same across the attempts of one delivery; `attempt` counts from 1.
   */
  headersFor: (body: string, delivery: { deliveryId: string; attempt: number }) => Record<string, string>;
  /** Where deliveries are POSTed, read at delivery time; undefined: only to the listeners. */
  url: () => string | undefined;
  /** How long the receiver has to answer. */
  timeoutMs: number;
  /**
   * Tries again on these statuses (`any`: every refusal, timeouts and network errors included),
   * `attempts` times at most, `delayMs` apart. Default: tried once.
   */
  retry?: { attempts: number; delayMs: number; statuses: readonly number[] | 'any' };
  /** Which statuses count as delivered. Default: any 2xx. */
  delivered?: (status: number) => boolean;
  /**
   * Why the system would not call this URL at all (its SSRF rules), or undefined: a refused URL
   * fails at once with that reason, without a connection.
   */
  refuse?: (url: string) => string | undefined;
  /**
   * The URL refused a delivery (non-2xx, timeout, network), after any retries; `status` when it
   * answered.
   */
  onFailed?: (failure: {
    payload: unknown;
    context: Context | undefined;
    error: string;
    status?: number;
  }) => void;
  /** Default `ordered`. */
  order?: WebhookOrder;
  /** Pause before an unordered delivery goes out, drawn between these bounds. Default 0 to 12 ms. */
  jitterMs?: readonly [number, number];
  /** Seed of the unordered pauses: the same seed, the same interleaving of a run's deliveries. */
  seed?: number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends webhooks the way a support system does, for fakes and in-process systems. A payload given
 * as a function is built when its delivery goes out, so it shows the state at that moment. Listeners
 * see exactly what the URL gets (the first attempt's headers), once per delivery.
 */
export function createWebhookSender<Context = undefined>(settings: WebhookSenderSettings<Context>) {
  const listeners = new Set<WebhookListener>();
  const stopper = new AbortController();
  const order = settings.order ?? 'ordered';
  const [lowJitter, highJitter] = settings.jitterMs ?? [0, 12];
  const random = seededRandom(settings.seed ?? 1);
  let tail: Promise<void> = Promise.resolve();
  const inFlight = new Set<Promise<void>>();
  const delivered = settings.delivered ?? ((status: number) => status >= 200 && status < 300);

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
      return delivered(response.statusCode)
        ? undefined
        : { error: `Webhook delivery failed with HTTP ${response.statusCode}`, status: response.statusCode };
    } catch (error) {
      return { error: `Webhook delivery failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  };

  const postToUrl = async (
    url: string,
    deliveryId: string,
    body: string,
  ): Promise<{ error: string; status?: number } | undefined> => {
    const refusal = settings.refuse?.(url);
    if (refusal !== undefined) return { error: refusal };
    const retry = settings.retry ?? { attempts: 1, delayMs: 0, statuses: [] };
    let failure: { error: string; status?: number } | undefined;
    for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
      failure = await postOnce(url, settings.headersFor(body, { deliveryId, attempt }), body);
      if (failure === undefined) return undefined;
      const retryable =
        retry.statuses === 'any' || (failure.status !== undefined && retry.statuses.includes(failure.status));
      if (!retryable || attempt === retry.attempts || stopper.signal.aborted) break;
      await pause(retry.delayMs);
    }
    return failure;
  };

  const deliver = async (payload: WebhookPayload, context: Context | undefined) => {
    if (stopper.signal.aborted) return;
    const built = typeof payload === 'function' ? (payload as () => unknown)() : payload;
    if (built === undefined) return;
    const body = JSON.stringify(built);
    const deliveryId = randomUUID();
    const headers = settings.headersFor(body, { deliveryId, attempt: 1 });
    for (const listener of listeners) {
      try {
        await listener({ headers: { ...headers }, body });
      } catch {
        // A system does not care what the receiver does with a delivery.
      }
    }
    const url = settings.url();
    if (url === undefined || stopper.signal.aborted) return;
    const failure = await postToUrl(url, deliveryId, body);
    if (failure !== undefined && !stopper.signal.aborted)
      settings.onFailed?.({
        payload: built,
        context,
        error: failure.error,
        ...(failure.status === undefined ? {} : { status: failure.status }),
      });
  };

  return {
    /**
     * Queues a delivery; `context` comes back with a failure. A function is called when the delivery
     * goes out and may answer undefined (the record it would describe is gone: nothing is sent).
     */
    emit(payload: WebhookPayload, context?: Context): void {
      if (stopper.signal.aborted) return;
      // A value is serialised as it is now; a function is built later.
      const fixed = typeof payload === 'function' ? payload : JSON.parse(JSON.stringify(payload ?? null));
      if (order === 'ordered') {
        tail = tail
          .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
          .then(() => deliver(fixed, context));
        return;
      }
      const delayMs = lowJitter + random() * (highJitter - lowJitter);
      const running = pause(delayMs).then(() => deliver(fixed, context));
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running));
    },
    subscribe(listener: WebhookListener): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    /** Resolves once every delivery emitted so far (and those their failures caused) went out. */
    async idle(): Promise<void> {
      for (;;) {
        const seen = tail;
        await seen;
        if (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        if (seen === tail && inFlight.size === 0) return;
      }
    },
    /** Drops what is queued and aborts deliveries in flight. */
    stop(): void {
      stopper.abort();
    },
  };
}

export type WebhookSender<Context = undefined> = ReturnType<typeof createWebhookSender<Context>>;

import { STATUS_CODES } from 'node:http';
import {
  createWebhookSender,
  type WebhookListener,
  type WebhookOrder,
  type WebhookPayload,
} from '@handoff/fake-server';
import { signTimestampedBody } from '@handoff/http';

export type { WebhookListener };

export interface WebhookDeliverySettings {
  /** The signing secret (read at delivery time: it can be rotated); undefined: unsigned. */
  secret: () => string | undefined;
  /** The target URL (`webhook_url`, `outgoing_url`), if any. */
  url: () => string | undefined;
  /** Why Chatwoot would not call the URL (`SafeFetch`), if it would not. */
  refuse?: (url: string) => string | undefined;
  /** `X-Chatwoot-Delivery` is sent (from 4.11.2, `app/listeners/webhook_listener.rb`). */
  deliveryIds: boolean;
  now: () => Date;
  order: WebhookOrder;
  seed: number;
  delayMs?: readonly [number, number] | undefined;
  /** The URL refused (non-2xx, timeout, network) a delivery, after any retries. */
  onFailed: (failure: { payload: unknown; messageId: number | undefined; error: string }) => void;
  /**
   * Tries again on these statuses (agent bots: 429 and 500, 3 attempts 3 s apart,
   * `app/jobs/agent_bots/webhook_job.rb`, `lib/webhooks/trigger.rb`). Default: tried once.
   */
  retry?: { attempts: number; delayMs: number; statuses: readonly number[] };
}

/** `WEBHOOK_TIMEOUT` (default 5 s, `lib/webhooks/trigger.rb` `webhook_timeout`). */
const deliveryTimeoutMs = 5_000;

/**
 * Delivers webhooks the way Chatwoot's `WebhookJob` does (`lib/webhooks/trigger.rb`): a POST with
 * `Content-Type`/`Accept` JSON, one `X-Chatwoot-Delivery` per delivery kept across retries, and,
 * when a secret is set, `X-Chatwoot-Timestamp` + `X-Chatwoot-Signature: sha256=HMAC(secret,
 * "<timestamp>.<body>")` stamped afresh on every attempt. Unordered by default: every event and
 * target is its own Sidekiq job, run by a pool of threads with no ordering.
 */
export function createWebhookDelivery(settings: WebhookDeliverySettings) {
  const sender = createWebhookSender<{ messageId?: number }>({
    headersFor(body, { deliveryId }) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (settings.deliveryIds) headers['x-chatwoot-delivery'] = deliveryId;
      const secret = settings.secret();
      if (secret !== undefined) {
        const timestamp = Math.floor(settings.now().getTime() / 1000);
        headers['x-chatwoot-timestamp'] = String(timestamp);
        headers['x-chatwoot-signature'] = signTimestampedBody({ secret, timestamp, body });
      }
      return headers;
    },
    url: settings.url,
    ...(settings.refuse === undefined ? {} : { refuse: settings.refuse }),
    timeoutMs: deliveryTimeoutMs,
    order: settings.order,
    seed: settings.seed,
    ...(settings.delayMs === undefined ? {} : { jitterMs: settings.delayMs }),
    ...(settings.retry === undefined ? {} : { retry: settings.retry }),
    // `SafeFetch::HttpError` says "<code> <reason>" (`lib/safe_fetch/fetcher.rb`); other failures keep their text.
    onFailed: ({ payload, context, error, status }) =>
      settings.onFailed({
        payload,
        messageId: context?.messageId,
        error: status === undefined ? error : `${status} ${STATUS_CODES[status] ?? ''}`.trim(),
      }),
  });
  return {
    /**
     * Queues a webhook; `messageId` for message events (a refused delivery marks it failed). A
     * function builds the payload when the delivery goes out, as `EventDispatcherJob` does.
     */
    emit(payload: WebhookPayload, options: { messageId?: number } = {}): void {
      sender.emit(payload, options);
    },
    subscribe: sender.subscribe,
    idle: sender.idle,
    stop: sender.stop,
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;

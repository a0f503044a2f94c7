import { createWebhookSender, type WebhookOrder } from '@handoff/fake-server';
import { computeHmac } from '@handoff/http';

export interface WebhookDeliverySettings {
  /** The app's client secret, the HMAC-SHA1 key (read at delivery time). */
  secret: () => string;
  /** The subscription's endpoint, if any. */
  url: () => string | undefined;
  /** `unordered` (the default) or `ordered` (one at a time, in the order of the changes: for debugging). */
  order?: WebhookOrder;
  /** Seed of the unordered pauses: the same seed, the same interleaving. */
  seed?: number;
  /** Pause before an unordered delivery goes out, drawn between these bounds (ms). */
  jitterMs?: readonly [number, number];
}

/**
 * How long the fake waits for the endpoint. Intercom's timeout is not documented (facts §7: "respond
 * within 5 seconds" in third-party sources); this is our choice.
 */
const deliveryTimeoutMs = 5_000;

/** `X-Hub-Signature: sha1=<hex HMAC-SHA1(raw body, client_secret)>` (facts §7). */
function hubSignature(secret: string, body: string): string {
  return `sha1=${computeHmac({ algorithm: 'sha1', secret, payload: body })}`;
}

/**
 * Delivers notifications the way Intercom's webhook service does (facts §7): a POST with the
 * headers of the official example, signed over the raw body. Listeners see the same delivery as
 * the URL.
 *
 * Intercom documents no delivery order, and says it may "pause, suspend or delay delivery of
 * notifications" (developer docs, "Delivering Webhook Notifications": lower priority past 150,000
 * events a minute or for endpoints slower than 500 ms, throttling after a 429). So by default each
 * notification goes out on its own after a short random pause, and they can arrive in any order;
 * `ordered` sends them one at a time, in the order of the changes. Each is tried once (Intercom's
 * retry policy is not documented); a refused one changes nothing in the workspace.
 */
export function createWebhookDelivery(settings: WebhookDeliverySettings) {
  const sender = createWebhookSender({
    headersFor: (body) => ({
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'intercom-parrot-service-client/1.0',
      'x-hub-signature': hubSignature(settings.secret(), body),
    }),
    url: settings.url,
    timeoutMs: deliveryTimeoutMs,
    order: settings.order ?? 'unordered',
    ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    ...(settings.jitterMs === undefined ? {} : { jitterMs: settings.jitterMs }),
  });
  return {
    /**
     * Queues a notification. A value is serialised now; a function is called when the delivery
     * goes out (what the notification says of the moment it is sent, such as `first_sent_at`).
     */
    emit(payload: unknown | (() => unknown)): void {
      sender.emit(payload);
    },
    subscribe: sender.subscribe,
    idle: sender.idle,
    stop: sender.stop,
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;

import { computeHmac, createWebhookSender } from '@handoff/http';

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
function hubSignature(secret: string, body: string): string {
  return `sha1=${computeHmac({ algorithm: 'sha1', secret, payload: body })}`;
}

/**
 * Delivers notifications the way Intercom's webhook service does (facts §7): a POST with the
 * headers of the official example, signed over the raw body. Listeners see the same delivery as
 * the URL. Deliveries go out one at a time, in the order the changes happened, and are tried once
 * (Intercom's retry policy is not documented); a refused one changes nothing in the workspace.
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
  });
  return {
    /** Queues a notification; its body is serialised now, exactly as it will be sent. */
    emit(payload: unknown): void {
      sender.emit(payload);
    },
    subscribe: sender.subscribe,
    idle: sender.idle,
    stop: sender.stop,
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;

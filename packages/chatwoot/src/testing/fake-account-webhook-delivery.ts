/**
 * Deliveries to the account webhooks (Settings → Integrations → Webhooks, `POST /webhooks`): each
 * event a webhook subscribes to, POSTed to its URL and signed with its own secret, as
 * `WebhookListener#deliver_account_webhooks` (`app/listeners/webhook_listener.rb`) does.
 */
import type { WebhookRequest } from '@handoff/core';
import type { WebhookOrder, WebhookPayload } from '@handoff/fake-server';
import type { ChatwootBehaviours } from '../chatwoot-versions.js';
import type { FakeAccountWebhook } from './fake-records.js';
import { createWebhookDelivery, type WebhookDelivery } from './fake-webhook-delivery.js';

/** Which account webhook a delivery went to: its id and the URL it was POSTed to. */
export interface AccountWebhookTarget {
  webhookId: number;
  url: string;
}

/** Receives each account webhook delivery, with the webhook it went to. */
export type AccountWebhookListener = (
  request: WebhookRequest,
  target: AccountWebhookTarget,
) => void | Promise<void>;

export interface FakeAccountWebhookDeliverySettings {
  /** The account's webhooks, read when an event is queued. */
  webhooks: () => readonly FakeAccountWebhook[];
  behaviours: ChatwootBehaviours;
  /** False sends them unsigned whatever the release does. */
  sign: boolean;
  refuse: (url: string) => string | undefined;
  now: () => Date;
  order: WebhookOrder;
  seed: number;
  delayMs: readonly [number, number] | undefined;
}

/** Seeds of the account webhooks' pauses start here, away from the inbox's and the bots'. */
const accountSeedOffset = 10_000;

/**
 * `deliver_account_webhooks`: every account-type webhook whose `subscriptions` include the event
 * gets its own `WebhookJob` (`:account_webhook`, the webhook's URL and `secret`, a fresh
 * `delivery_id`), whatever its `inbox_id`. `Webhooks::Trigger` (`lib/webhooks/trigger.rb`) posts it
 * once: a failure is logged and nothing else happens (no retry, no message marked failed, which
 * only the API inbox's and the agent bots' deliveries do).
 */
export function createFakeAccountWebhookDelivery(settings: FakeAccountWebhookDeliverySettings) {
  const { behaviours } = settings;
  const listeners = new Set<AccountWebhookListener>();
  /** One sender per webhook and URL: a job keeps the URL it was queued with. */
  const deliveries = new Map<string, WebhookDelivery>();
  let queued = 0;

  const deliveryFor = (webhook: FakeAccountWebhook): WebhookDelivery => {
    const url = webhook.url;
    const key = `${webhook.id} ${url}`;
    let delivery = deliveries.get(key);
    if (delivery === undefined) {
      const target: AccountWebhookTarget = { webhookId: webhook.id, url };
      delivery = createWebhookDelivery({
        // Signed from 4.11.2 (`secret: webhook.secret`); before, the job has no secret.
        secret: () => (settings.sign && behaviours.accountWebhooksSigned ? webhook.secret : undefined),
        url: () => url,
        refuse: settings.refuse,
        deliveryIds: behaviours.inboxDeliveryIds,
        now: settings.now,
        order: settings.order,
        seed: settings.seed + accountSeedOffset + webhook.id,
        delayMs: settings.delayMs,
        // `handle_error` has no case for `:account_webhook`: the failure is only logged.
        onFailed: () => undefined,
      });
      delivery.subscribe(async (request) => {
        for (const listener of listeners) await listener(request, target);
      });
      deliveries.set(key, delivery);
    }
    return delivery;
  };

  return {
    /** The webhooks `event` goes to (subscribed to it), in the account's order. */
    subscribedTo(event: string): FakeAccountWebhook[] {
      return settings.webhooks().filter((webhook) => webhook.subscriptions.includes(event));
    },
    /** Queues one delivery of `payload` to each of these webhooks. */
    emit(webhooks: readonly FakeAccountWebhook[], payload: WebhookPayload): void {
      for (const webhook of webhooks) {
        queued += 1;
        deliveryFor(webhook).emit(payload);
      }
    },
    subscribe(listener: AccountWebhookListener): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    /** How many deliveries were queued so far (a failure elsewhere can queue more while others settle). */
    queued: () => queued,
    /** Resolves once every delivery queued so far, and any queued meanwhile, went out. */
    async idle(): Promise<void> {
      for (;;) {
        const seen = queued;
        for (const delivery of [...deliveries.values()]) await delivery.idle();
        if (queued === seen) return;
      }
    },
    stop(): void {
      for (const delivery of deliveries.values()) delivery.stop();
    },
  };
}

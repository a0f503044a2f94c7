import type { WebhookRequest } from '@handoff/core';
import type { WebhookOrder } from '@handoff/fake-server';
import type { ChatwootBehaviours } from '../chatwoot-versions.js';
import {
  type AccountWebhookListener,
  createFakeAccountWebhookDelivery,
} from './fake-account-webhook-delivery.js';
import type { FakeAgentBot } from './fake-records.js';
import { agentBotsFor, type FakeState, findConversation } from './fake-state.js';
import {
  createWebhookDelivery,
  type WebhookDelivery,
  type WebhookListener,
} from './fake-webhook-delivery.js';

/**
 * The events an agent bot's `outgoing_url` receives (`app/listeners/agent_bot_listener.rb`):
 * messages, the deprecated opened/resolved, the widget trigger and, from 4.13.0, the status change
 * and every conversation update. Never `conversation_created` or typing.
 */
function agentBotEvents(behaviours: ChatwootBehaviours): ReadonlySet<string> {
  return new Set([
    'message_created',
    'message_updated',
    'conversation_opened',
    'conversation_resolved',
    'webwidget_triggered',
    ...(behaviours.botStatusEvents ? ['conversation_status_changed', 'conversation_updated'] : []),
  ]);
}

/** `Webhooks::Trigger::RetryableError`: agent-bot deliveries answered 429 or 500 (`lib/webhooks/trigger.rb`). */
const agentBotRetryStatuses = [429, 500];

/**
 * Addresses `ssrf_filter` refuses (`IPV4_BLACKLIST`, `IPV6_BLACKLIST`, used by `lib/safe_fetch.rb`):
 * this-network, private, shared (CGNAT), loopback, link-local, benchmarking, documentation,
 * multicast and reserved ranges, and their IPv6 counterparts. Names are not resolved here; only
 * `localhost` is known to be loopback.
 */
const privateHost =
  /^(0\.|10\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|127\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|192\.0\.[02]\.|192\.168\.|198\.(1[89])\.|198\.51\.100\.|203\.0\.113\.|2(2[4-9]|[3-5]\d)\.|localhost$|::1?$|f[cd][0-9a-f]{2}:|fe[89ab][0-9a-f]:|::ffff:)/i;

export interface FakeWebhookRoutingSettings {
  state: FakeState;
  behaviours: ChatwootBehaviours;
  now: () => Date;
  /** False sends every webhook (inbox, account, agent bot) unsigned whatever the release does. */
  sign: boolean;
  order: WebhookOrder;
  seed: number;
  delayMs: readonly [number, number] | undefined;
  allowPrivateNetwork: boolean;
  botRetryDelayMs: number;
  /** The inbox URL refused a message event. */
  onInboxMessageFailed: (messageId: number, error: string) => void;
  /** An agent bot's URL refused a message event of this conversation, after the retries. */
  onBotMessageFailed: (messageId: number, error: string) => void;
}

/** The conversation (display id) a webhook body is about. */
function conversationIdOf(payload: Record<string, unknown>): number | undefined {
  const nested = payload.conversation as { id?: unknown } | undefined;
  const id = nested?.id ?? (String(payload.event).startsWith('conversation_') ? payload.id : undefined);
  return typeof id === 'number' ? id : undefined;
}

/** The message id of a message event (`Webhooks::Trigger#handle_error` acts only on those). */
function messageIdOf(payload: Record<string, unknown>): number | undefined {
  const event = String(payload.event);
  return (event === 'message_created' || event === 'message_updated') && typeof payload.id === 'number'
    ? payload.id
    : undefined;
}

/** A conversation or message event: its payload, built now or when the delivery goes out. */
export interface FakeWebhookEvent {
  /** Built when the job runs: the inbox's `EventDispatcherJob` reloads the records. */
  build: () => Record<string, unknown> | undefined;
  /** The message of a message event (a refused delivery marks it failed). */
  messageId?: number;
}

/** A builder that builds once, on its first call, and answers that payload from then on. */
function builtOnce(build: () => Record<string, unknown> | undefined) {
  let built: { payload: Record<string, unknown> | undefined } | undefined;
  return () => {
    built ??= { payload: build() };
    return built.payload;
  };
}

/**
 * Every event goes to the account webhooks subscribed to it, then to the API inbox's `webhook_url`
 * (`deliver_webhook_payloads`, `app/listeners/webhook_listener.rb`), one payload for all of them
 * built when the first of those deliveries goes out (`EventDispatcherJob` reloads the records and
 * the listener builds the payload once, so the body shows the state of that moment). The
 * agent-bot events also go to the bots of the conversation (attached to the inbox, or assigned),
 * built at once (`AgentBotListener` runs in the `SyncDispatcher`) and signed with each bot's own
 * secret. A status change to open or resolved first sends the bots the deprecated
 * `conversation_opened` / `conversation_resolved` (`conversation.rb` `notify_status_change`).
 */
export function createFakeWebhooks(settings: FakeWebhookRoutingSettings) {
  const { state, behaviours } = settings;
  /**
   * `SafeFetch` (`ssrf_filter`) refuses a target with no public address before any connection,
   * with this message; the failure goes through `handle_failure` like any other.
   */
  const refuse = (url: string): string | undefined => {
    if (!behaviours.privateWebhookTargetsRefused) return undefined;
    // `SAFE_FETCH_ALLOW_PRIVATE_NETWORK` exists from 4.14.1; 4.14.0 refuses private targets always.
    if (settings.allowPrivateNetwork && behaviours.privateNetworkOptIn) return undefined;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return privateHost.test(host) ? `Hostname '${host}' has no public ip addresses` : undefined;
  };
  const inbox = createWebhookDelivery({
    secret: () => (settings.sign && behaviours.inboxWebhooksSigned ? state.inbox.secret : undefined),
    url: () => state.inbox.webhookUrl,
    refuse,
    deliveryIds: behaviours.inboxDeliveryIds,
    now: settings.now,
    order: settings.order,
    seed: settings.seed,
    delayMs: settings.delayMs,
    onFailed: ({ messageId, error }) => {
      if (messageId !== undefined) settings.onInboxMessageFailed(messageId, error);
    },
  });
  const accounts = createFakeAccountWebhookDelivery({
    webhooks: () => state.webhooks,
    behaviours,
    sign: settings.sign,
    refuse,
    now: settings.now,
    order: settings.order,
    seed: settings.seed,
    delayMs: settings.delayMs,
  });
  const botDeliveries = new Map<number, WebhookDelivery>();
  const botListeners = new Set<WebhookListener>();

  const deliveryFor = (bot: FakeAgentBot): WebhookDelivery => {
    let delivery = botDeliveries.get(bot.id);
    if (delivery === undefined) {
      delivery = createWebhookDelivery({
        secret: () => (settings.sign && behaviours.agentBotWebhooksSigned ? bot.secret : undefined),
        url: () => bot.outgoingUrl,
        refuse,
        deliveryIds: behaviours.agentBotWebhooksSigned,
        now: settings.now,
        order: settings.order,
        seed: settings.seed + bot.id,
        delayMs: settings.delayMs,
        ...(behaviours.agentBotRetries
          ? {
              retry: { attempts: 3, delayMs: settings.botRetryDelayMs, statuses: agentBotRetryStatuses },
            }
          : {}),
        onFailed: ({ payload, error }) => {
          const messageId = messageIdOf(payload as Record<string, unknown>);
          if (messageId !== undefined) settings.onBotMessageFailed(messageId, error);
        },
      });
      delivery.subscribe(async (request: WebhookRequest) => {
        for (const listener of botListeners) await listener(request);
      });
      botDeliveries.set(bot.id, delivery);
    }
    return delivery;
  };

  const emitToBots = (payload: Record<string, unknown>) => {
    const event = String(payload.event);
    const events = agentBotEvents(behaviours);
    const conversation = findConversation(state, conversationIdOf(payload));
    if (conversation === undefined) return;
    for (const bot of agentBotsFor(state, conversation)) {
      if (bot.outgoingUrl === undefined && botListeners.size === 0) continue;
      const delivery = deliveryFor(bot);
      if (
        event === 'conversation_status_changed' &&
        (payload.status === 'open' || payload.status === 'resolved')
      ) {
        const { changed_attributes: _changed, ...conversationData } = payload;
        delivery.emit({
          ...conversationData,
          event: payload.status === 'open' ? 'conversation_opened' : 'conversation_resolved',
        });
      }
      if (events.has(event)) delivery.emit(payload);
    }
  };

  return {
    /**
     * An event: to the account webhooks subscribed to it and the inbox URL (one payload, built when
     * the first of their jobs runs) and to the conversation's agent bots (built now).
     */
    emit(webhook: FakeWebhookEvent): void {
      const now = webhook.build();
      const subscribed = now === undefined ? [] : accounts.subscribedTo(String(now.event));
      const build = subscribed.length === 0 ? webhook.build : builtOnce(webhook.build);
      accounts.emit(subscribed, build);
      inbox.emit(build, webhook.messageId === undefined ? {} : { messageId: webhook.messageId });
      if (now !== undefined) emitToBots(now);
    },
    /** Every delivery to the inbox `webhook_url`. */
    subscribe: (listener: WebhookListener) => inbox.subscribe(listener),
    /** Every delivery to an account webhook, with the webhook it went to. */
    subscribeAccountWebhooks: (listener: AccountWebhookListener) => accounts.subscribe(listener),
    /** Every delivery to an agent bot's `outgoing_url`. */
    subscribeBot(listener: WebhookListener): () => void {
      botListeners.add(listener);
      return () => {
        botListeners.delete(listener);
      };
    },
    async idle(): Promise<void> {
      for (;;) {
        const queued = accounts.queued();
        await inbox.idle();
        for (const delivery of botDeliveries.values()) await delivery.idle();
        await accounts.idle();
        // A failure can cause another webhook (message_updated, a status change): settle those too.
        await new Promise((resolve) => setImmediate(resolve));
        const before = botDeliveries.size;
        await inbox.idle();
        if (botDeliveries.size === before && accounts.queued() === queued) return;
      }
    },
    stop(): void {
      inbox.stop();
      accounts.stop();
      for (const delivery of botDeliveries.values()) delivery.stop();
    },
  };
}

export type FakeWebhooks = ReturnType<typeof createFakeWebhooks>;

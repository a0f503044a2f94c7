import type { WebhookRequest } from '@handoff/core';
import type { FakeAgentBot } from './fake-records.js';
import { agentBotsFor, type FakeState, findConversation } from './fake-state.js';
import {
  createWebhookDelivery,
  type WebhookDelivery,
  type WebhookListener,
} from './fake-webhook-delivery.js';

/** The events an agent bot's `outgoing_url` receives (notes §3.1). */
const agentBotEvents: ReadonlySet<string> = new Set([
  'message_created',
  'message_updated',
  'conversation_opened',
  'conversation_resolved',
  'conversation_status_changed',
  'conversation_updated',
  'webwidget_triggered',
]);

/** Agent-bot webhooks are tried up to 3 times on 429 and 500 (notes §3.2). */
const agentBotRetryStatuses = [429, 500];

export interface FakeWebhookRoutingSettings {
  state: FakeState;
  now: () => Date;
  sign: boolean;
  botRetryDelayMs: number;
  /** The inbox URL refused a message event. */
  onInboxMessageFailed: (messageId: number, error: string) => void;
  /** An agent bot's URL refused an event of this conversation, after the retries. */
  onBotFailed: (conversationId: number, error: string) => void;
}

/** The conversation (display id) a webhook body is about. */
function conversationIdOf(payload: Record<string, unknown>): number | undefined {
  const nested = payload.conversation as { id?: unknown } | undefined;
  const id = nested?.id ?? (String(payload.event).startsWith('conversation_') ? payload.id : undefined);
  return typeof id === 'number' ? id : undefined;
}

/**
 * Every webhook goes to the API inbox's `webhook_url`; those of the agent-bot events also go to
 * the agent bots of the conversation (attached to the inbox, or assigned), signed with each bot's
 * own secret. A status change to open or resolved also sends the bots the deprecated
 * `conversation_opened` / `conversation_resolved` (notes §4).
 */
export function createFakeWebhooks(settings: FakeWebhookRoutingSettings) {
  const { state } = settings;
  const inbox = createWebhookDelivery({
    secret: () => state.inbox.secret,
    url: () => state.inbox.webhookUrl,
    sign: settings.sign,
    now: settings.now,
    onFailed: ({ messageId, error }) => {
      if (messageId !== undefined) settings.onInboxMessageFailed(messageId, error);
    },
  });
  const botDeliveries = new Map<number, WebhookDelivery>();
  const botListeners = new Set<WebhookListener>();

  const deliveryFor = (bot: FakeAgentBot): WebhookDelivery => {
    let delivery = botDeliveries.get(bot.id);
    if (delivery === undefined) {
      delivery = createWebhookDelivery({
        secret: () => bot.secret,
        url: () => bot.outgoingUrl,
        sign: settings.sign,
        now: settings.now,
        retry: { attempts: 3, delayMs: settings.botRetryDelayMs, statuses: agentBotRetryStatuses },
        onFailed: ({ payload, error }) => {
          const conversationId = conversationIdOf(payload as Record<string, unknown>);
          if (conversationId !== undefined) settings.onBotFailed(conversationId, error);
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
    if (!agentBotEvents.has(event)) return;
    const conversation = findConversation(state, conversationIdOf(payload));
    if (conversation === undefined) return;
    for (const bot of agentBotsFor(state, conversation)) {
      const delivery = deliveryFor(bot);
      delivery.emit(payload);
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
    }
  };

  return {
    emit(payload: Record<string, unknown>, options: { messageId?: number } = {}): void {
      inbox.emit(payload, options);
      emitToBots(payload);
    },
    /** Every delivery to the inbox `webhook_url`. */
    subscribe: (listener: WebhookListener) => inbox.subscribe(listener),
    /** Every delivery to an agent bot's `outgoing_url`. */
    subscribeBot(listener: WebhookListener): () => void {
      botListeners.add(listener);
      return () => {
        botListeners.delete(listener);
      };
    },
    async idle(): Promise<void> {
      await inbox.idle();
      for (const delivery of botDeliveries.values()) await delivery.idle();
    },
    stop(): void {
      inbox.stop();
      for (const delivery of botDeliveries.values()) delivery.stop();
    },
  };
}

export type FakeWebhooks = ReturnType<typeof createFakeWebhooks>;

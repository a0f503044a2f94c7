import { createOutboxWorker } from '../delivery/outbox-worker.js';
import { isSupportError } from '../errors/support-error.js';
import { createBotHostContext } from './bot-host-context.js';
import { createBotHostDeliveries } from './bot-host-deliveries.js';
import { hostEventItem } from './bot-host-outbox-items.js';
import type { BotHostEngine, BotHostEngineSettings } from './bot-host-types.js';

export type {
  BotHostEngine,
  BotHostEngineSettings,
  BotHostTelemetryEvent,
  ReceiveBotWebhookResult,
} from './bot-host-types.js';

const errorCode = (error: unknown) =>
  isSupportError(error) ? error.code : error instanceof Error ? error.name : 'error';

/**
 * Internal mode: the support system owns the channel and calls the bot. Webhook events are stored
 * before they are acknowledged, then applied one at a time per conversation: the bot answers while
 * it holds the conversation, stays silent while a human does, hands off through routing, and gets
 * a fresh bot session whenever the conversation comes back to it.
 */
export function createBotHostEngine(settings: BotHostEngineSettings): BotHostEngine {
  const context = createBotHostContext(settings, () => worker.notify());
  const deliveries = createBotHostDeliveries(context);
  const worker = createOutboxWorker({
    ...settings.delivery,
    outbox: context.outbox,
    deliver: deliveries.deliver,
    onParked: deliveries.onParked,
    onRetry: (item, error, delayMs) =>
      context.telemetry({ type: 'delivery.retry', kind: item.kind, error: errorCode(error), delayMs }),
  });

  return {
    async receiveWebhook(options) {
      const result = await context.host.handleBotWebhook(options);
      for (const part of result.unreadable ?? []) {
        context.telemetry({
          type: 'webhook.unreadable',
          provider: context.host.provider,
          field: part.field,
          reason: part.reason,
        });
      }
      if (result.events.length > 0) {
        await context.outbox.enqueue(result.events.map(hostEventItem));
        worker.notify();
      }
      return { ...result, accepted: result.events.length };
    },
    async getSession(conversationId) {
      return (await context.sessions.get(context.keyOf(conversationId)))?.session;
    },
    outbox: context.outbox,
    start: () => worker.start(),
    stop: () => worker.stop(),
    wake: () => worker.notify(),
    drain: (options) => worker.drain(options),
  };
}

// The host engine of internal mode (the support system owns the channel and calls the bot): its
// settings resolved, its parts wired together, and its operations.

import { createOutboxWorker } from '../delivery/outbox-worker.js';
import { isSupportError } from '../errors/support-error.js';
import { sessionKey } from '../session/handoff-session.js';
import { createInMemoryStorage } from '../session/in-memory-storage.js';
import { createSessionUpdater } from '../session/session-updates.js';
import { createBotHostDeliveries } from './bot-host-deliveries.js';
import { createBotHostEventApplication } from './bot-host-event-application.js';
import { createBotHostHandoffSteps } from './bot-host-handoff-steps.js';
import { hostEventItem } from './bot-host-outbox-items.js';
import type { BotHostEngine, BotHostEngineSettings, BotHostTelemetryEvent } from './bot-host-types.js';
import { createBotHostUserTurn } from './bot-host-user-turn.js';

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
  const { host, bot, router } = settings;
  const { sessions, outbox } = settings.storage ?? createInMemoryStorage();
  const channelId = settings.channelId ?? `host:${host.provider}`;
  const now = settings.now ?? (() => new Date());
  const generateId = settings.generateId ?? (() => globalThis.crypto.randomUUID());
  const telemetry = (event: BotHostTelemetryEvent) => settings.onTelemetry?.(event);
  const keyOf = (conversationId: string) => sessionKey(channelId, conversationId);

  const updater = createSessionUpdater({
    sessions,
    now,
    ...(outbox.groupsCommits === true ? { onEnqueuing: () => worker.notify() } : {}),
    onEnqueued: () => worker.notify(),
    subject: 'bot session',
  });
  const steps = createBotHostHandoffSteps({
    router,
    labels: settings.labels ?? ['bot-handoff'],
    now,
    generateId,
  });
  const userTurn = createBotHostUserTurn({
    bot,
    router,
    sessions,
    updater,
    steps,
    channelId,
    botTimeoutMs: settings.botTimeoutMs ?? 10_000,
    keyOf,
    now,
    generateId,
    telemetry,
  });
  const deliveries = createBotHostDeliveries({
    host,
    router,
    outbox,
    updater,
    events: createBotHostEventApplication({ updater, steps, userTurn, keyOf, telemetry }),
    keyOf,
    telemetry,
  });
  const worker = createOutboxWorker({
    ...settings.delivery,
    outbox,
    deliver: deliveries.deliver,
    onParked: deliveries.onParked,
    onRetry: (item, error, delayMs) =>
      telemetry({ type: 'delivery.retry', kind: item.kind, error: errorCode(error), delayMs }),
  });

  return {
    async receiveWebhook(options) {
      const result = await host.handleBotWebhook(options);
      for (const part of result.unreadable ?? []) {
        telemetry({
          type: 'webhook.unreadable',
          provider: host.provider,
          field: part.field,
          reason: part.reason,
        });
      }
      if (result.events.length > 0) {
        await outbox.enqueue(result.events.map(hostEventItem));
        worker.notify();
      }
      return { ...result, accepted: result.events.length };
    },
    async getSession(conversationId) {
      return (await sessions.get(keyOf(conversationId)))?.session;
    },
    outbox,
    start: () => worker.start(),
    stop: () => worker.stop(),
    wake: () => worker.notify(),
    drain: (options) => worker.drain(options),
  };
}

// The host engine's public shapes: its settings, operations and results, and its telemetry.

import type { BotConnector } from '../contract/bot-connector.js';
import type {
  BotHostAdapter,
  HandleBotWebhookOptions,
  HandleBotWebhookResult,
} from '../contract/bot-host-adapter.js';
import type { HandoffStorage } from '../contract/handoff-storage.js';
import type { Outbox } from '../contract/outbox.js';
import type { OutboxWorkerSettings } from '../delivery/outbox-worker.js';
import type { SkillRouter } from '../routing/skill-router.js';
import type { HandoffSession } from '../session/handoff-session.js';

export type BotHostTelemetryEvent =
  /** The bot answered a contact (replies queued) or asked for a human. */
  | { type: 'host.answered'; conversationId: string; replies: number; handoff: boolean }
  /** A contact message the bot stayed out of: a human holds the conversation, or a handoff is under way. */
  | { type: 'host.silent'; conversationId: string; reason: 'human' | 'closed' | 'handing-off' }
  /** The bot's answer was not posted: a human took the conversation while the bot was answering. */
  | { type: 'host.reply-withheld'; conversationId: string; messages: number }
  | { type: 'host.handed-off'; conversationId: string; team: string }
  /** The bot got the conversation back (an agent set it pending, or the contact came back after a resolve). */
  | { type: 'host.returned'; conversationId: string }
  /** The bot failed or answered nonsense: the conversation goes to the default team. */
  | { type: 'host.bot-failed'; conversationId: string; error: string }
  | { type: 'delivery.retry'; kind: string; error: string; delayMs: number }
  /** A part of a bot webhook the adapter could not read (the readable rest was applied). */
  | { type: 'webhook.unreadable'; provider: string; field: string; reason: string }
  | { type: 'delivery.parked'; kind: string; reason: string };

export interface BotHostEngineSettings {
  /** The support system that hosts the bot (Chatwoot agent bot). */
  host: BotHostAdapter;
  bot: BotConnector;
  /** Routes handoffs: the bot's explicit team, its unfinished skills, else the default team. */
  router: SkillRouter;
  /** Bot sessions (one per hosted conversation) and the outbox. Default: in process memory. */
  storage?: HandoffStorage;
  /** The channel id bot sessions are filed under and the bot is told. Default `host:<provider>`. */
  channelId?: string;
  /** Labels put on handed-off conversations. Default `["bot-handoff"]`. */
  labels?: readonly string[];
  /** Longest the bot may take to answer one message before it counts as failed. Default 10 s. */
  botTimeoutMs?: number;
  /** Delivery worker tuning (retries, concurrency, lease). */
  delivery?: Omit<OutboxWorkerSettings, 'outbox' | 'deliver' | 'onParked' | 'onRetry'>;
  onTelemetry?: (event: BotHostTelemetryEvent) => void;
  now?: () => Date;
  generateId?: () => string;
}

export interface ReceiveBotWebhookResult extends HandleBotWebhookResult {
  /** Events stored for processing (duplicates of stored events are not counted twice downstream). */
  accepted: number;
}

/**
 * The internal-mode loop, framework-free: bot webhooks in, the bot asked while it holds the
 * conversation, answers and handoffs out through the host, at least once and in order.
 */
export interface BotHostEngine {
  /**
   * Verifies and parses a bot webhook and stores its events durably; resolves once they are
   * stored, so the caller can acknowledge the webhook at once (the bot is asked afterwards).
   */
  receiveWebhook(options: HandleBotWebhookOptions): Promise<ReceiveBotWebhookResult>;
  /** The bot session of a hosted conversation. */
  getSession(conversationId: string): Promise<HandoffSession | undefined>;
  readonly outbox: Outbox;
  start(): void;
  stop(): Promise<void>;
  wake(): void;
  drain(options?: { timeoutMs?: number }): Promise<void>;
}

// The engine's public shapes: its settings, operations, options and results, and its telemetry.

import { z } from 'zod';
import type { BotConnector } from '../contract/bot-connector.js';
import type { ChannelSink } from '../contract/channel-sink.js';
import type { ConversationSummarizer } from '../contract/conversation-summarizer.js';
import type { HandoffStorage } from '../contract/handoff-storage.js';
import type { Outbox } from '../contract/outbox.js';
import type {
  HandleWebhookOptions,
  HandleWebhookResult,
  SupportAdapter,
} from '../contract/support-adapter.js';
import type { OutboxWorkerSettings } from '../delivery/outbox-worker.js';
import type { SkillRouter } from '../routing/skill-router.js';
import { attachmentSchema } from '../schemas/attachment.js';
import { messageTextSchema } from '../schemas/message-text.js';
import type { SupportEvent } from '../schemas/support-event.js';
import { supportUserSchema } from '../schemas/support-user.js';
import { maxAttachmentsPerMessage } from '../schemas/transcript-message.js';
import type {
  HandoffSession,
  OutboundMessage,
  SessionMode,
  SessionReturn,
} from '../session/handoff-session.js';
import type { BusinessHours } from './business-hours.js';
import type { NoticeTexts } from './notices.js';

/**
 * `on-handoff` (default): the bot conversation stays local until a handoff, so a session that never
 * hands off costs no support call. `continuous`: every turn is mirrored as it happens.
 */
export type TranscriptMode = 'on-handoff' | 'continuous';

/** What the engine reports for metrics and logs. Never carries message text. */
export type EngineTelemetryEvent =
  | { type: 'handoff.requested'; key: string; rule: string; team?: string }
  | { type: 'handoff.transferred'; key: string; team: string }
  | { type: 'handoff.failed'; key: string; reason: string }
  | { type: 'handoff.unavailable'; key: string; team: string; reason: 'no_agents' | 'outside_hours' }
  | { type: 'session.returned'; key: string; reason: SessionReturn['reason'] }
  | { type: 'message.relayed'; key: string; direction: 'to-support' | 'to-channel'; count: number }
  | { type: 'delivery.retry'; kind: string; error: string; delayMs: number }
  /** A delivery given up for good (`id`: the parked outbox item, as `GET /v1/admin/parked` lists it). */
  | { type: 'delivery.parked'; kind: string; id: string; reason: string }
  /**
   * Nobody could be told that a parked delivery did not arrive: its session is gone (`no_session`)
   * or, for an agent's message, the support conversation it came from (`no_conversation`).
   */
  | { type: 'delivery.unreported'; kind: string; id: string; reason: 'no_session' | 'no_conversation' }
  | { type: 'delivery.stale'; kind: string; key: string }
  | { type: 'event.unmatched'; eventType: SupportEvent['type']; conversationId: string }
  | { type: 'catch-up.failed'; conversationId: string; error: string }
  | { type: 'availability.failed'; team: string; error: string }
  /** The summarizer failed or took too long: the note went without a summary (`error`: its kind, never text). */
  | { type: 'summary.failed'; key: string; error: string }
  | { type: 'webhook.unreadable'; provider: string; field: string; reason: string };

export interface HandoffEngineSettings {
  support: SupportAdapter;
  /**
   * Names where `support` keeps its records (system, account, inbox), when a storage may outlive
   * one: the support-side user id a session remembers is used only with the integration it came
   * from, so a chatbot moved to another system never sends one system's contact id to another.
   * Default: one integration for the storage's lifetime.
   */
  supportIntegration?: string;
  router: SkillRouter;
  bot: BotConnector;
  channel: ChannelSink;
  /** Sessions and outbox. Default: in process memory. */
  storage?: HandoffStorage;
  transcript?: {
    mode?: TranscriptMode;
    /** Most bot-conversation messages kept for the handoff; older ones are dropped and counted. Default 100. */
    maxMessages?: number;
  };
  /**
   * A short summary of the bot conversation opens the agents' context note, written by `summarizer`
   * when the handoff is asked for. One that fails or takes longer than `timeoutMs` (default 5,000)
   * leaves the note without it; the handoff goes on.
   */
  summary?: { summarizer: ConversationSummarizer; timeoutMs?: number };
  /** Replacement texts, or a function giving them per channel and locale. */
  notices?:
    | Partial<NoticeTexts>
    | ((context: { channelId: string; locale?: string }) => Partial<NoticeTexts>);
  /** A whole message equal to one of these (any case) gives the session back to the bot. */
  returnToBotPhrases?: readonly string[];
  /** Answers to the topic question that name no topic before the default team is used. Default 2. */
  maxTopicAttempts?: number;
  /** What happens when nobody of the team can answer now. */
  noAgent?: {
    /**
     * Check before handing over whether anyone of the team can answer: the business hours below,
     * then the support system (capability `availability`). Default true.
     */
    checkAvailability?: boolean;
    /** How long a user who chose to wait waits before the bot takes over again. Default 10 min; 0: forever. */
    waitTimeoutMs?: number;
  };
  /** Opening hours per team; they apply on top of what the support system says. */
  businessHours?: BusinessHours;
  /**
   * How long an agent message waits for ones written before it when the support system delivers
   * webhooks in no order (capability `orderedWebhooks: false`): the user gets them in the system's
   * order. Default 1,000 ms; 0 sends each at once.
   */
  reorderWindowMs?: number;
  /** Labels put on a conversation at transfer, where the system has labels. Default `bot-handoff`. */
  transferLabels?: readonly string[];
  delivery?: Pick<
    OutboxWorkerSettings,
    'concurrency' | 'leaseMs' | 'idlePollMs' | 'maxAttempts' | 'backoff' | 'owner' | 'onError'
  >;
  onTelemetry?: (event: EngineTelemetryEvent) => void;
  now?: () => Date;
  generateId?: () => string;
}

export const userMessageOptionsSchema = z.object({
  channelId: z.string().min(1).max(200),
  userId: z.string().min(1).max(255),
  message: z
    .object({
      id: z.string().min(1).max(200).optional(),
      text: messageTextSchema.default(''),
      attachments: z.array(attachmentSchema).max(maxAttachmentsPerMessage).optional(),
    })
    .refine((message) => message.text.trim().length > 0 || (message.attachments?.length ?? 0) > 0, {
      message: 'a message needs text or at least one attachment',
      path: ['text'],
    }),
  profile: supportUserSchema.omit({ id: true }).optional(),
});

export type UserMessageOptions = z.input<typeof userMessageOptionsSchema> & { signal?: AbortSignal };

export interface SessionReference {
  channelId: string;
  userId: string;
}

export interface TurnResult {
  sessionId: string;
  mode: SessionMode;
  /** Messages for the user now: bot replies and notices. Empty while a human holds the session. */
  replies: OutboundMessage[];
  /** True when this message id was already processed; nothing was done again. */
  duplicate: boolean;
}

/** What a turn answers for `session` in its state now. */
export function turnResultOf(
  session: HandoffSession,
  replies: OutboundMessage[],
  duplicate = false,
): TurnResult {
  return { sessionId: session.sessionId, mode: session.mode, replies, duplicate };
}

export interface RequestHandoffOptions extends SessionReference {
  team?: string;
  reason?: string;
  /** Defaults to the unfinished skills of the bot's last turn. */
  unfinishedSkills?: readonly string[];
  signal?: AbortSignal;
}

export interface CloseSessionRequest extends SessionReference {
  /** Left in the support conversation before it is closed. */
  note?: string;
}

export interface HandoffEngine {
  /** A user message from the channel: to the bot, to the topic question, or to the human. */
  handleUserMessage(options: UserMessageOptions): Promise<TurnResult>;
  /** Starts a handoff outside a bot turn (the host decided). */
  requestHandoff(options: RequestHandoffOptions): Promise<TurnResult>;
  /** Ends the human part from the user's or bot's side; the bot takes over again. */
  closeSession(options: CloseSessionRequest): Promise<TurnResult>;
  /** Verifies and applies a support-system webhook. Throws WebhookVerificationError when refused. */
  handleWebhook(options: HandleWebhookOptions): Promise<HandleWebhookResult>;
  /**
   * Verifies a webhook and stores its events for the delivery worker, in order per conversation.
   * Resolves once they are stored: answer the support system then (Chatwoot waits 5 s and never
   * retries); nothing acknowledged is lost. Throws WebhookVerificationError when refused.
   */
  receiveWebhook(options: HandleWebhookOptions): Promise<HandleWebhookResult>;
  /** Applies events already verified and parsed. */
  applyEvents(events: readonly SupportEvent[]): Promise<void>;
  /**
   * Reads what happened in every conversation a human holds, and in every one closed within
   * `closedWithinMs` (default 1 h), from the support system's records (when the adapter can:
   * capability `catchUp`) and applies what the webhooks never brought: after downtime, or a
   * webhook lost at a dead instance, Chatwoot never retries. An agent's reply written before a close
   * whose webhook was lost still reaches the user. Delivers nothing twice.
   */
  catchUp(options?: {
    signal?: AbortSignal;
    closedWithinMs?: number;
  }): Promise<{ conversations: number; events: number; failed: number }>;
  getSession(reference: SessionReference): Promise<HandoffSession | undefined>;
  readonly outbox: Outbox;
  /** Starts delivering the outbox. */
  start(): void;
  /** Tells the delivery worker the outbox changed outside the engine (a parked item requeued). */
  wake(): void;
  stop(): Promise<void>;
  /** Resolves when every accepted delivery is done (or parked). */
  drain(options?: { timeoutMs?: number }): Promise<void>;
}

// The support adapter contract: the seven operations every support system adapter implements, and
// the optional ones (catching up, team availability, checking settings, registering the webhook),
// with their options and results.

import type { SupportEvent } from '../schemas/support-event.js';
import type { SupportUser } from '../schemas/support-user.js';
import type { Team } from '../schemas/team.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import type { SettingsIssue } from './settings-issue.js';
import type { SupportCapabilities } from './support-capabilities.js';
import type { UnreadablePart } from './unreadable-part.js';

/** Every operation takes one options object; `signal` stops the call. */
export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Set when this call may already have run, wholly or in part (a retry after a failure mid-call
   * or after a crash). Adapters of systems that do not de-duplicate on their own then look before
   * creating anything, so nothing is created twice; without it they may trust their own records.
   */
  recover?: boolean;
}

/**
 * 1. Ensure user: find or create the end user on the support side. Idempotent on `user.id`, which
 * is opaque and case-sensitive: `Ada-7` and `ada-7` are two users, and `user-1` is not `user-10`.
 * An adapter whose system compares ids without case, or searches by prefix, filters for the exact
 * id (and encodes ids if the system cannot keep them apart).
 */
export interface EnsureUserOptions extends CallOptions {
  user: SupportUser;
}

export interface EnsureUserResult {
  /** The support system's id for the user (Chatwoot contact id). */
  supportUserId: string;
  /** True when this call created the user. */
  created: boolean;
}

/** 2. Open conversation: a new conversation that will hold the history. */
export interface OpenConversationOptions extends CallOptions {
  supportUserId: string;
  /** The bot session the conversation belongs to; adapters store it where webhooks carry it back. */
  sessionId: string;
  /**
   * Unique per handoff. With `recover`, the adapter first looks for a conversation it already
   * opened under this key (a retry after a crash) and returns it instead of opening another.
   */
  handoffId: string;
  /** Free attributes shown to agents where the system supports them. */
  attributes?: Record<string, string | number | boolean>;
  /**
   * The conversation's first message. An adapter whose system creates a conversation with a
   * message in one call (Chatwoot) may post it there and say so with `postedFirstMessage`; the
   * engine then leaves it out of the next post. An adapter that does not post it leaves the
   * conversation without it.
   */
  firstMessage?: TranscriptMessage;
}

export interface OpenConversationResult {
  conversationId: string;
  /** True when an earlier conversation for the same `handoffId` was found (only with `recover`). */
  recovered: boolean;
  /** True when `firstMessage` was posted with the new conversation. */
  postedFirstMessage?: boolean;
}

/** 3. Post messages: an ordered batch; re-posting an id already posted must not duplicate it. */
export interface PostMessagesOptions extends CallOptions {
  conversationId: string;
  messages: readonly TranscriptMessage[];
}

export interface PostMessagesResult {
  /** Support-side ids of the posted messages, in order, keyed by our message id. */
  posted: ReadonlyArray<{ id: string; supportMessageId: string }>;
}

/** 4. List teams. */
export type ListTeamsOptions = CallOptions;

/** 5. Transfer: hand the conversation to a team, with an optional context note for agents. */
export interface TransferOptions extends CallOptions {
  conversationId: string;
  team: string;
  /** Private note posted with the transfer (routing reason, context). */
  note?: string;
  /** Labels for the conversation, where the system has them (capability `labels`). */
  labels?: readonly string[];
}

export interface TransferResult {
  team: Team | { id: string; name?: string };
}

/** 6. Close session: end the human part; the next user message goes to the bot again. */
export interface CloseSessionOptions extends CallOptions {
  conversationId: string;
  /** Optional note left in the conversation before it is closed (for example "The user went back to the bot"). */
  note?: string;
}

/**
 * 7. Handle webhook: verify and parse a callback of the support system. A delivery whose signed
 * timestamp is further from `receivedAt` than the adapter's declared tolerance (at most 300 s,
 * either way) is refused, and so is a delivery id seen within the declared replay window
 * (`capabilities.webhookFreshness`). A refused or aborted call has no effect: the same delivery,
 * sent again in time, is accepted. `recover` never relaxes any check.
 */
export interface HandleWebhookOptions extends CallOptions {
  /** Request headers, names in any case. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body exactly as received; signatures are computed over these bytes. */
  body: string | Uint8Array;
  /** When the request arrived; defaults to now. Used for timestamp checks. */
  receivedAt?: Date;
}

export interface HandleWebhookResult {
  /** Delivery id of the request, when the system sends one. */
  deliveryId?: string;
  /**
   * Typed events, echoes of the bot's own posts already removed. Possibly empty. Each carries the
   * conversation it happened in and an id unique to what happened, across all conversations; only
   * `conversation.closed` may repeat its id for the same conversation (it closes once for the bot).
   */
  events: SupportEvent[];
  /** Parts the adapter could not read; the readable rest is in `events`. */
  unreadable?: UnreadablePart[];
}

/** Optional (capability `availability`): can anyone of a team answer now? */
export interface TeamAvailabilityOptions extends CallOptions {
  team: string;
}

export interface TeamAvailability {
  available: boolean;
  /** Why not: no agent of the team is online, or the team (its inbox) is outside business hours. */
  reason?: 'no_agents' | 'outside_hours';
}

/** Optional: catch up on a conversation from the system's own records. */
export interface SyncConversationOptions extends CallOptions {
  conversationId: string;
  /** The last agent message already seen (its support-side id); only later ones are wanted. */
  afterMessageId?: string;
}

export interface SyncConversationResult {
  /**
   * Agent messages after `afterMessageId` (oldest first) and `conversation.closed` when the
   * conversation is closed, with the same event ids the webhooks would have given.
   */
  events: SupportEvent[];
  /** Parts of the records the adapter could not read; the readable rest is in `events`. */
  unreadable?: UnreadablePart[];
}

/** Optional (capability `settingsCheck`): check the adapter's own settings against the system. */
export interface VerifySettingsOptions {
  signal?: AbortSignal;
}

/** Optional (capability `webhookRegistration`): register the system's webhook to reach `url`. */
export interface RegisterWebhookOptions {
  /** The public URL the system is to deliver webhooks to. */
  url: string;
  signal?: AbortSignal;
}

export interface RegisteredWebhook {
  /** The system's id of the webhook. */
  id: string;
  /**
   * The secret the system signs this webhook's deliveries with, when its answer carries one (the
   * adapter's webhook secret setting). A credential: store it, never log it.
   */
  secret?: string;
  /** False when a webhook to the same URL already existed and was reused (and brought up to date). */
  created: boolean;
}

/**
 * One support system, as the engine sees it. Implementations throw `SupportError` for failures of
 * the support system and `WebhookVerificationError` for refused webhooks. Every operation:
 * - stops with a SupportError `aborted` when its signal is aborted, before it starts (with no
 *   effect) or in flight;
 * - classifies every failure: a 4xx no retry can fix (400, 401, 403, 404, 409, 422) is never
 *   `retryable`; a rate limit, 5xx, reset or timeout is, with `retryAfterMs` when the system says;
 * - never puts a credential in an error's message, `vendorBody` or `cause`, nor in a log line;
 * - with `recover`, completes a call that may have run in part, creating nothing twice.
 */
export interface SupportAdapter {
  /** Short name of the system, for example `chatwoot`. */
  readonly provider: string;
  readonly capabilities: SupportCapabilities;
  ensureUser(options: EnsureUserOptions): Promise<EnsureUserResult>;
  openConversation(options: OpenConversationOptions): Promise<OpenConversationResult>;
  postMessages(options: PostMessagesOptions): Promise<PostMessagesResult>;
  listTeams(options?: ListTeamsOptions): Promise<Team[]>;
  transfer(options: TransferOptions): Promise<TransferResult>;
  closeSession(options: CloseSessionOptions): Promise<void>;
  handleWebhook(options: HandleWebhookOptions): Promise<HandleWebhookResult>;
  /**
   * Optional (capability `catchUp`): what happened in a conversation, read from the system's
   * records, for webhooks that never arrived (a receiver that was down; Chatwoot never retries).
   */
  syncConversation?(options: SyncConversationOptions): Promise<SyncConversationResult>;
  /** Optional (capability `availability`): whether anyone of a team can answer now, and why not. */
  teamAvailability?(options: TeamAvailabilityOptions): Promise<TeamAvailability>;
  /**
   * Optional (capability `settingsCheck`): checks the settings against the system (credentials
   * accepted, the account, inbox or workspace they name exists and suits the adapter). Resolves
   * `[]` when they are good, else one issue per field at fault. The system unreachable, a 5xx or a
   * timeout is no issue: it throws the usual SupportError (retryable).
   */
  verifySettings?(options?: VerifySettingsOptions): Promise<SettingsIssue[]>;
  /**
   * Optional (capability `webhookRegistration`), only where the system lets an API client register
   * webhooks: makes the system deliver the webhooks the adapter needs to `url`. Idempotent: a
   * webhook to the same URL is reused (and its subscriptions completed), never added twice.
   */
  registerWebhook?(options: RegisterWebhookOptions): Promise<RegisteredWebhook>;
}

/** The seven required operations, in the seed's order. */
export const supportOperations = [
  'ensureUser',
  'openConversation',
  'postMessages',
  'listTeams',
  'transfer',
  'closeSession',
  'handleWebhook',
] as const satisfies ReadonlyArray<keyof SupportAdapter>;

export type SupportOperation = (typeof supportOperations)[number];

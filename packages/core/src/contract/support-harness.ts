// The conformance kit's independent view of a support system: reads its state, plays the agent,
// injects faults.

import type { Attachment } from '../schemas/attachment.js';
import type { Team } from '../schemas/team.js';

/** A webhook request as the support system would send it: headers and the exact body bytes. */
export interface WebhookRequest {
  headers: Record<string, string>;
  body: string;
}

/** A user as the support system stores it. */
export interface HarnessUser {
  supportUserId: string;
  /** The bot-side user id the adapter stored (identifier, external id). */
  externalId: string;
  name?: string;
  email?: string;
}

export interface HarnessMessage {
  /** `agent` for anything a human agent wrote. */
  author: 'user' | 'bot' | 'note' | 'agent';
  text: string;
  /** True for messages agents see but users never do. */
  private: boolean;
  attachments?: Array<Pick<Attachment, 'url'> & Partial<Attachment>>;
}

export interface HarnessConversation {
  conversationId: string;
  supportUserId: string;
  /**
   * The attributes agents see on the conversation, where the system has them (the kit checks that
   * those given to `openConversation` are there).
   */
  attributes?: Record<string, unknown>;
  /** Normalised status: held back from agents, open to them, or resolved. */
  status: 'held' | 'open' | 'resolved';
  /** True once agents were told about it (notification, queue entry). */
  agentsNotified: boolean;
  team?: { id: string; name?: string };
  /** Labels on the conversation, where the system has them. */
  labels?: string[];
  messages: HarnessMessage[];
}

/**
 * A failure the harness makes the support system (or the network) produce for the next call. In
 * all but `lost_answer` the system does not process the request.
 */
export type HarnessFault =
  | { kind: 'unauthorized' }
  | { kind: 'rate_limited'; retryAfterMs?: number }
  | { kind: 'server_error' }
  /** The system answers with this status and the body it sends with it (400, 403, 404, 409, 422, 5xx). */
  | { kind: 'http_status'; status: number }
  | { kind: 'connection_reset' }
  | { kind: 'timeout' }
  | { kind: 'malformed_body' }
  /** The system processes the request, then the connection drops before the answer arrives. */
  | { kind: 'lost_answer' };

export interface InjectFaultOptions {
  /** How many calls in a row fail. Default 1. */
  times?: number;
  /** How many calls go through untouched first. Default 0. */
  after?: number;
}

/**
 * The conformance kit's independent view of a support system: it reads the backend's state
 * directly, plays the human agent, hands back the webhooks the system sends, and injects faults.
 * Adapter packages export one from their `testing` entry; the kit never trusts the adapter's own
 * word for what happened.
 */
export interface SupportHarness {
  /** Teams the backend has (at least two, so a transfer can be told apart from the default). */
  teams(): Promise<Team[]>;
  findUsers(query: { externalId: string }): Promise<HarnessUser[]>;
  getConversation(conversationId: string): Promise<HarnessConversation | undefined>;
  /** A conversation id the backend has never used. */
  unknownConversationId(): Promise<string>;
  /**
   * Makes every agent of a team (un)available, for adapters with capability `availability`;
   * without it the availability points are skipped.
   */
  setTeamAvailability?(teamId: string, available: boolean): Promise<void>;

  /** Acting as a human agent. Each returns the webhook requests the action made the system send. */
  agentReply(
    conversationId: string,
    reply: { text: string; attachments?: Attachment[] },
  ): Promise<WebhookRequest[]>;
  agentNote(conversationId: string, text: string): Promise<WebhookRequest[]>;
  agentTyping(conversationId: string, typing: boolean): Promise<WebhookRequest[]>;
  assignAgent(conversationId: string): Promise<WebhookRequest[]>;
  resolve(conversationId: string): Promise<WebhookRequest[]>;
  /** Reopens a resolved conversation, as an agent would. Optional: the random sequences use it. */
  reopen?(conversationId: string): Promise<WebhookRequest[]>;
  /**
   * Ids of every conversation of a user, resolved ones included. Optional: the recover points use
   * it to see that a retried open made no second conversation.
   */
  conversationsOf?(supportUserId: string): Promise<string[]>;
  /** Webhook requests sent since the last call (for example echoes of what the adapter posted). */
  takeWebhooks(): Promise<WebhookRequest[]>;

  /** Makes the adapter's API calls fail this way: the next `times` (default 1), after `after` (default 0). */
  injectFault(fault: HarnessFault, options?: InjectFaultOptions): void;
  /**
   * Drops the faults injected and not yet met, and says how many there were (0: the adapter met
   * them all). Optional: without it some sweeps stop early.
   */
  clearFaults?(): number;
  /**
   * Every credential the adapter under test is configured with (API tokens, webhook secrets,
   * passwords). The kit searches every error, vendor body, cause and log line for them, so make
   * them unique to the harness (canaries) and at least 8 characters long.
   */
  readonly secrets?: readonly string[];
  /** What the backend can show: false skips the checks that need it, with the reason printed. */
  readonly features?: {
    /** The system can say how long to wait on a rate limit (Chatwoot never does). */
    retryAfterHint?: boolean;
    /**
     * Webhook signatures cover a timestamp (Chatwoot). Default true. Systems that sign only the
     * body (Intercom) cannot refuse a stale delivery by its signature; they refuse replays by
     * delivery id, and the stale-timestamp point is skipped.
     */
    timestampedSignatures?: boolean;
    /**
     * Webhooks carry a shared secret in this header instead of a signature (Sunshine Conversations'
     * `X-API-Key`, Rocket.Chat's `X-RocketChat-Livechat-Token`). A wrong or missing secret is
     * refused; a changed body or a stale delivery cannot be told from a genuine one, so those
     * points are skipped with the reason. Replays are still refused by delivery id.
     */
    sharedSecretHeader?: string;
    /**
     * Webhooks are signed at all. Default true. False (Chatwoot before 4.13.0 for inbox webhooks):
     * the signature points are skipped with the reason, and the adapter is run in its unsigned mode.
     */
    signedWebhooks?: boolean;
    /**
     * Deliveries carry an id that a replay repeats (Chatwoot's `X-Chatwoot-Delivery`, from
     * 4.11.2). Default true: a replay is refused. False: a replay must have no second effect.
     */
    deliveryIds?: boolean;
    /**
     * The harness can make the system process a request and lose its answer (fault
     * `lost_answer`). Default false: the points that retry after a lost answer are skipped.
     */
    lostAnswers?: boolean;
  };
  /** The name of the agent `assignAgent` assigns, as the adapter should report it. */
  readonly agentName?: string;
  close?(): Promise<void>;
}

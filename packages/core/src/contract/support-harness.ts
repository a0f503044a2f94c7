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
  /** Normalised status: held back from agents, open to them, or resolved. */
  status: 'held' | 'open' | 'resolved';
  /** True once agents were told about it (notification, queue entry). */
  agentsNotified: boolean;
  team?: { id: string; name?: string };
  /** Labels on the conversation, where the system has them. */
  labels?: string[];
  messages: HarnessMessage[];
}

/** A failure the harness makes the support system (or the network) produce for the next call. */
export type HarnessFault =
  | { kind: 'unauthorized' }
  | { kind: 'rate_limited'; retryAfterMs?: number }
  | { kind: 'server_error' }
  | { kind: 'connection_reset' }
  | { kind: 'timeout' }
  | { kind: 'malformed_body' };

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
  /** Webhook requests sent since the last call (for example echoes of what the adapter posted). */
  takeWebhooks(): Promise<WebhookRequest[]>;

  /** Makes the next `times` (default 1) API calls of the adapter fail this way. */
  injectFault(fault: HarnessFault, options?: { times?: number }): void;
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
     * Webhooks are signed at all. Default true. False (Chatwoot before 4.13.0 for inbox webhooks):
     * the signature points are skipped with the reason, and the adapter is run in its unsigned mode.
     */
    signedWebhooks?: boolean;
    /**
     * Deliveries carry an id that a replay repeats (Chatwoot's `X-Chatwoot-Delivery`, from
     * 4.11.2). Default true: a replay is refused. False: a replay must have no second effect.
     */
    deliveryIds?: boolean;
  };
  /** The name of the agent `assignAgent` assigns, as the adapter should report it. */
  readonly agentName?: string;
  close?(): Promise<void>;
}

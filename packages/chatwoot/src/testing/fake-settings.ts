/** How a fake Chatwoot is set up. Every field has the default a fresh Chatwoot API inbox has. */
export interface FakeChatwootSettings {
  /** Default 1. */
  accountId?: number;
  /** Default 3: an API inbox ("Channel::Api") named "Bot handoff". */
  inboxId?: number;
  /** HMAC key of the inbox webhook signatures. Default `inbox-webhook-secret`. */
  inboxSecret?: string;
  /** The API inbox `webhook_url`: every webhook is also POSTed there. */
  webhookUrl?: string;
  /** Default false (notes §1.4). */
  lockToSingleConversation?: boolean;
  /** Default true (notes §1.4, §7.4). */
  enableAutoAssignment?: boolean;
  /** Default true; false emulates a Chatwoot from before inbox webhook signing (notes §3.3). */
  signWebhooks?: boolean;
  /** Requests per minute for all non-harness clients together; default false (no limit). */
  rateLimitPerMinute?: number | false;
  /**
   * Agent-bot mode (notes §4): the seeded agent bot gets this `outgoing_url` and, with `attached`
   * (default true), is attached to the inbox: new conversations start pending, a resolved one
   * reopens pending, and its webhooks (signed with the bot secret) go to the URL.
   */
  agentBot?: { outgoingUrl?: string; attached?: boolean };
  /** The account setting `keep_pending_on_bot_failure`: default false (a failed bot webhook opens the conversation). */
  keepPendingOnBotFailure?: boolean;
  /** Pause between the attempts of a bot webhook answered 429 or 500. Default 3000 (Chatwoot's). */
  botWebhookRetryDelayMs?: number;
  now?: () => Date;
}

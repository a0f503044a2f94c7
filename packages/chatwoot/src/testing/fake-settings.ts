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
  now?: () => Date;
}

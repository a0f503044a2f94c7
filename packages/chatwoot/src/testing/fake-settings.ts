import type { WebhookOrder } from '@handoff/fake-server';

/** How a fake Chatwoot is set up. Every field has the default a fresh Chatwoot API inbox has. */
export interface FakeChatwootSettings {
  /**
   * The Chatwoot release to behave as (4.11.0 or later, default 4.15.1): signing, delivery ids,
   * what agent bots may call and receive (`chatwootBehaviours`).
   */
  version?: string;
  /**
   * `unordered` (default): every webhook is its own job on a pool of workers, so deliveries overlap
   * and arrive in any order, and inbox payloads are built when the job runs
   * (`app/listeners/webhook_listener.rb` inside `EventDispatcherJob`). `ordered`: one at a time, in
   * the order of the changes, for debugging.
   */
  webhookOrder?: WebhookOrder;
  /** Seed of the unordered interleaving: the same seed, the same order. Default 1. */
  webhookSeed?: number;
  /** How long an unordered webhook's job waits in the queue, drawn between these bounds. Default 0 to 12 ms. */
  webhookDelayMs?: readonly [number, number];
  /**
   * `SAFE_FETCH_ALLOW_PRIVATE_NETWORK` (default true, so webhooks reach 127.0.0.1 in tests). False
   * from 4.14.0 refuses private and loopback webhook targets as `lib/safe_fetch.rb` does.
   */
  allowPrivateNetwork?: boolean;
  /** Default 1. */
  accountId?: number;
  /** Default 3: an API inbox ("Channel::Api") named "Bot handoff". */
  inboxId?: number;
  /** HMAC key of the inbox webhook signatures. Default `inbox-webhook-secret`. */
  inboxSecret?: string;
  /** The API inbox `webhook_url`: every webhook is also POSTed there. */
  webhookUrl?: string;
  /** Default false (`inboxes.lock_to_single_conversation`, `db/schema.rb`). */
  lockToSingleConversation?: boolean;
  /** Default true (`inboxes.enable_auto_assignment`, `db/schema.rb`). */
  enableAutoAssignment?: boolean;
  /**
   * Default: as the release does (account webhooks signed from 4.11.2, inbox webhooks and agent
   * bots from 4.13.0). False sends every webhook unsigned, as an inbox webhook is before 4.13.0.
   */
  signWebhooks?: boolean;
  /** Requests per minute for all non-harness clients together; default false (no limit). */
  rateLimitPerMinute?: number | false;
  /**
   * Agent-bot mode (`agent_bot_inboxes`, `Inbox#active_bot?`): the seeded agent bot gets this `outgoing_url` and, with `attached`
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

// The conformance kit's view of a support system that hosts the bot: plays the contact and the agent.

import type { ConversationHolder, HostContact } from '../schemas/bot-host-event.js';
import type { Team } from '../schemas/team.js';
import type { HarnessConversation, HarnessFault, WebhookRequest } from './support-harness.js';

/**
 * The conformance kit's independent view of a support system that hosts the bot (internal mode):
 * it plays the contact and the human agent, reads the system's state directly and hands back the
 * requests the system sends to the bot webhook.
 */
export interface BotHostHarness {
  /** Teams the backend has (at least two). */
  teams(): Promise<Team[]>;
  /**
   * The contact writes into the system's inbox: into their open conversation, or into a new one
   * (held by the bot) when they have none or it was resolved. Returns the bot webhook requests
   * the message made the system send.
   */
  contactWrites(
    contact: Omit<HostContact, 'id'> & { identifier: string },
    text: string,
  ): Promise<{ conversationId: string; contactId: string; requests: WebhookRequest[] }>;
  getConversation(
    conversationId: string,
  ): Promise<(HarnessConversation & { holder: ConversationHolder }) | undefined>;
  /** Acting as a human agent; each returns the bot webhook requests the action made the system send. */
  agentReply(conversationId: string, text: string): Promise<WebhookRequest[]>;
  agentNote(conversationId: string, text: string): Promise<WebhookRequest[]>;
  /** An agent takes the conversation (it opens to humans). */
  agentTakes(conversationId: string): Promise<WebhookRequest[]>;
  /** An agent gives the conversation back to the bot (Chatwoot: status pending). */
  handBackToBot(conversationId: string): Promise<WebhookRequest[]>;
  resolve(conversationId: string): Promise<WebhookRequest[]>;
  /** Bot webhook requests sent since the last call (for example echoes of the bot's replies). */
  takeBotWebhooks(): Promise<WebhookRequest[]>;
  /** Makes the next `times` (default 1) API calls of the adapter fail this way. */
  injectFault(fault: HarnessFault, options?: { times?: number }): void;
  /** What the backend can show: false skips the points that need it, with the reason printed. */
  readonly features?: {
    /** Bot webhooks are signed (Chatwoot from 4.13.0). Default true. */
    signedWebhooks?: boolean;
    /**
     * Webhooks carry a shared secret in this header instead of a signature (Sunshine Conversations'
     * `X-API-Key`, Rocket.Chat's `X-RocketChat-Livechat-Token`). A wrong or missing secret is
     * refused; a changed body or a stale delivery cannot be told from a genuine one, so those
     * points are skipped with the reason. Replays are still refused by delivery id.
     */
    sharedSecretHeader?: string;
    /**
     * The system tells the bot when an agent hands a conversation back (Chatwoot from 4.13.0,
     * `conversation_status_changed` to bots). Default true. False: the bot learns it from the
     * contact's next message.
     */
    reportsHandBack?: boolean;
  };
  close?(): Promise<void>;
}

// What the provisioner is built with, what each call takes, and what it answers.

import type { Dispatcher } from 'undici';
import { z } from 'zod';

/** Where Chatwoot runs and the platform app that acts there. */
export interface ChatwootProvisionerSettings {
  /** Where Chatwoot runs, for example `https://chatwoot.example.com`. */
  baseUrl: string;
  /** The platform app's access token (super admin console → Platform Apps). */
  platformToken: string;
  dispatcher?: Dispatcher | undefined;
  /** Per request. Default 10 s. */
  requestTimeoutMs?: number | undefined;
  /** `api-access-token` survives proxies that drop headers with underscores. Default `api_access_token`. */
  tokenHeader?: 'api_access_token' | 'api-access-token' | undefined;
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Checked before any request: a bad call creates nothing. */
export const provisionOrganizationOptionsSchema = z.object({
  /** Ours: kept in the account's `custom_attributes` to find the account again. */
  organizationId: z.string().min(1).max(255),
  /** The account's name in Chatwoot (set when created, not changed afterwards). */
  name: z.string().min(1).max(255),
  owners: z
    .array(z.object({ email: z.email(), name: z.string().min(1).max(255), emailVerified: z.boolean() }))
    .min(1),
  /** The chatbot whose API inbox this is. */
  chatbot: z.object({
    id: z.string().min(1).max(255),
    /** The inbox's name when it is created. Default `Handoff <id>`. */
    name: z.string().min(1).max(255).optional(),
    /** The runtime's webhook route of this chatbot (`<publicUrl>/v1/bots/<id>/support/webhook`). */
    webhookUrl: httpUrl,
    /**
     * Which webhook delivers to `webhookUrl`: the account webhook (default; what the runtime's
     * `registerWebhook` also registers) or the inbox's `webhook_url`. Never both: Chatwoot would
     * send every event twice, under two secrets.
     */
    webhookDelivery: z.enum(['account', 'inbox']).default('account'),
  }),
  /** Internal mode: an agent bot of the account, attached to the inbox. */
  agentBot: z.object({ name: z.string().min(1).max(255), outgoingUrl: httpUrl }).optional(),
  /** The account id a previous run returned, when the caller kept it: tried before the search by tag. */
  accountId: z.number().int().positive().optional(),
});

export type ProvisionOrganizationOptions = z.input<typeof provisionOrganizationOptionsSchema> & {
  signal?: AbortSignal | undefined;
};

export const deprovisionOrganizationOptionsSchema = z.object({
  organizationId: z.string().min(1).max(255),
  accountId: z.number().int().positive().optional(),
  /**
   * The chatbots provisioned into the account, when the caller keeps them: their inboxes are
   * found as provisioning finds them (tag, then name) and their URLs' account webhooks removed,
   * besides every inbox tagged with the organization.
   */
  chatbots: z
    .array(
      z.object({
        id: z.string().min(1).max(255),
        name: z.string().min(1).max(255).optional(),
        webhookUrl: httpUrl,
      }),
    )
    .default([]),
});

export type DeprovisionOrganizationOptions = z.input<typeof deprovisionOrganizationOptionsSchema> & {
  signal?: AbortSignal | undefined;
};

/** The adapter settings provisioning produced (`ChatwootSettingsInput`-compatible). */
export interface ProvisionedChatwootSettings {
  baseUrl: string;
  accountId: number;
  inboxId: number;
  /** The acting owner's access token (an administrator of the account). */
  userToken: string;
  /** The secret of the webhook that delivers (absent before Chatwoot 4.11.2/4.13.0: none is signed). */
  webhookSecret?: string;
  agentBotId?: number;
  agentBotToken?: string;
}

export interface ProvisionedOwner {
  email: string;
  userId: number;
  /** Made a member (administrator) of the account by this run. */
  addedToAccount: boolean;
  /** Their role in the account now (a member's role is never changed). */
  role: string;
}

export interface RefusedOwner {
  email: string;
  reason: string;
}

/** What a run created, reused or changed. */
export interface ProvisioningReport {
  account: { id: number; created: boolean };
  owners: ProvisionedOwner[];
  refusedOwners: RefusedOwner[];
  /** The owner whose token is `userToken`. */
  actingUserId: number;
  inbox: { id: number; created: boolean; webhookUrlChanged: boolean };
  webhook: {
    delivery: 'account' | 'inbox';
    /** The account webhook, with `account` delivery. */
    accountWebhookId?: string;
    created: boolean;
    /** Account webhooks to the chatbot's URL removed (with `inbox` delivery). */
    removedAccountWebhooks: number;
  };
  agentBot?: { id: number; created: boolean; outgoingUrlChanged: boolean; attached: boolean };
}

export interface ProvisionedOrganization {
  settings: ProvisionedChatwootSettings;
  /** The agent bot's webhook secret (`agentBotSecret` of the agent-bot engine), when there is a bot. */
  agentBotSecret?: string;
  report: ProvisioningReport;
}

export interface DeprovisionedOrganization {
  /** Undefined when no account of the organization was found (nothing to do). */
  accountId: number | undefined;
  removedAccountWebhooks: number;
  clearedInboxWebhooks: number;
  detachedAgentBots: number;
}

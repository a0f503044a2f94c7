// createChatwootProvisioner: an organization's Chatwoot account, owners, chatbot inbox, webhook and bot, made idempotently.

import { isSupportError, SupportError } from '@handoff/core';
import {
  type AccountApplicationClient,
  createAccountApplicationClient,
} from './account-application-client.js';
import { listAccountMembers } from './account-members.js';
import { ensureOwners, sortOwners } from './account-owners.js';
import {
  ensureChatbotInbox,
  findChatbotInbox,
  inboxNameOf,
  listApiInboxes,
  updateApiChannel,
} from './chatbot-inbox.js';
import { ensureChatbotWebhook, removeAccountWebhooks } from './chatbot-webhook.js';
import { createChatwootPlatformClient } from './chatwoot-platform-client.js';
import {
  type ChatwootProvisionerSettings,
  type DeprovisionedOrganization,
  type DeprovisionOrganizationOptions,
  deprovisionOrganizationOptionsSchema,
  type ProvisionedChatwootSettings,
  type ProvisionedOrganization,
  type ProvisionOrganizationOptions,
  provisionOrganizationOptionsSchema,
} from './chatwoot-provisioner-options.js';
import { platformUserSchema } from './platform-responses.js';
import { ensureAccount, findAccount } from './provisioned-account.js';
import { attachedAgentBotId, ensureAgentBot, setInboxAgentBot } from './provisioned-agent-bot.js';
import { organizationTag, tagOf, webhookUrlTag } from './provisioning-tags.js';

/** A call's options, or an `invalid_request` naming the first bad field (before any request). */
function parseOptions<
  Schema extends typeof provisionOrganizationOptionsSchema | typeof deprovisionOrganizationOptionsSchema,
>(schema: Schema, options: unknown, operation: string) {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data as ReturnType<Schema['parse']>;
  const issue = parsed.error.issues[0];
  throw new SupportError({
    code: 'invalid_request',
    message: `chatwoot ${operation}: ${issue?.path.join('.') || '(options)'} ${issue?.message ?? 'is invalid'}`,
    provider: 'chatwoot',
    operation,
  });
}

/**
 * Provisions organizations into a Chatwoot installation with a platform app's token. Every step
 * first looks for what an earlier run made (see each step), so a second run creates nothing and
 * a run after a failure at any step finishes the job. Runs for one organization must not overlap
 * (two concurrent first runs could both create the account).
 */
export function createChatwootProvisioner(settings: ChatwootProvisionerSettings) {
  const baseUrl = settings.baseUrl.replace(/\/+$/, '');
  const requestTimeoutMs = settings.requestTimeoutMs ?? 10_000;
  const tokenHeader = settings.tokenHeader ?? 'api_access_token';
  const platform = createChatwootPlatformClient({
    baseUrl,
    platformToken: settings.platformToken,
    requestTimeoutMs,
    tokenHeader,
    dispatcher: settings.dispatcher,
  });
  const applicationFor = (accountId: number, userToken: string): AccountApplicationClient =>
    createAccountApplicationClient({
      baseUrl,
      accountId,
      userToken,
      requestTimeoutMs,
      tokenHeader,
      dispatcher: settings.dispatcher,
    });

  /**
   * The token of an administrator of the account the app may read (`GET users/{id}` answers
   * `access_token`; another app's or a foreign user is 401 `Non permissible resource`).
   */
  const administratorToken = async (
    accountId: number,
    operation: string,
    signal: AbortSignal | undefined,
  ) => {
    const members = await listAccountMembers(platform, accountId, operation, signal);
    for (const member of members.filter((candidate) => candidate.role === 'administrator')) {
      try {
        const user = await platform.call({
          operation,
          method: 'GET',
          path: `/users/${member.user_id}`,
          schema: platformUserSchema,
          signal,
        });
        return user.access_token;
      } catch (error) {
        if (!(isSupportError(error) && (error.code === 'unauthorized' || error.code === 'not_found')))
          throw error;
      }
    }
    return undefined;
  };

  return {
    /**
     * The account (tagged with `organizationId`), a user for each verified owner (administrators),
     * the chatbot's API inbox, the webhook that delivers to `chatbot.webhookUrl`, and with
     * `agentBot` the account's agent bot attached to the inbox. Resolves with the adapter's
     * settings and a report; unverified owners are refused (in the report, no user made).
     */
    async provisionOrganization(options: ProvisionOrganizationOptions): Promise<ProvisionedOrganization> {
      const operation = 'provisionOrganization';
      const { signal } = options;
      const resolved = parseOptions(provisionOrganizationOptionsSchema, options, operation);
      const { accepted, refused } = sortOwners(resolved.owners);
      if (accepted.length === 0) {
        throw new SupportError({
          code: 'invalid_request',
          message: `chatwoot ${operation}: no owner has a verified email (${refused.map((owner) => owner.email).join(', ')}): ${refused[0]?.reason}`,
          provider: 'chatwoot',
          operation,
        });
      }
      const account = await ensureAccount(platform, {
        organizationId: resolved.organizationId,
        accountId: resolved.accountId,
        name: resolved.name,
        operation,
        signal,
      });
      const { owners, acting } = await ensureOwners(platform, {
        accountId: account.id,
        owners: accepted,
        operation,
        signal,
      });
      const application = applicationFor(account.id, acting.token);
      const delivery = resolved.chatbot.webhookDelivery;
      const inbox = await ensureChatbotInbox(application.client, {
        organizationId: resolved.organizationId,
        chatbotId: resolved.chatbot.id,
        inboxName: inboxNameOf(resolved.chatbot),
        webhookUrl: resolved.chatbot.webhookUrl,
        inboxDelivers: delivery === 'inbox',
        operation,
        signal,
      });
      const webhook = await ensureChatbotWebhook(application, {
        delivery,
        webhookUrl: resolved.chatbot.webhookUrl,
        operation,
        signal,
      });
      const agentBot =
        resolved.agentBot === undefined
          ? undefined
          : await ensureAgentBot(platform, application, {
              accountId: account.id,
              inboxId: inbox.id,
              name: resolved.agentBot.name,
              outgoingUrl: resolved.agentBot.outgoingUrl,
              operation,
              signal,
            });
      const webhookSecret = delivery === 'inbox' ? inbox.secret : webhook.secret;
      const adapterSettings: ProvisionedChatwootSettings = {
        baseUrl,
        accountId: account.id,
        inboxId: inbox.id,
        userToken: acting.token,
        ...(webhookSecret === undefined ? {} : { webhookSecret }),
        ...(agentBot === undefined ? {} : { agentBotId: agentBot.id, agentBotToken: agentBot.token }),
      };
      return {
        settings: adapterSettings,
        ...(agentBot?.secret === undefined ? {} : { agentBotSecret: agentBot.secret }),
        report: {
          account,
          owners: owners.map(({ token: _token, ...owner }) => owner),
          refusedOwners: refused,
          actingUserId: acting.userId,
          inbox: { id: inbox.id, created: inbox.created, webhookUrlChanged: inbox.webhookUrlChanged },
          webhook: {
            delivery,
            ...(webhook.id === undefined ? {} : { accountWebhookId: webhook.id }),
            created: webhook.created,
            removedAccountWebhooks: webhook.removed,
          },
          ...(agentBot === undefined
            ? {}
            : {
                agentBot: {
                  id: agentBot.id,
                  created: agentBot.created,
                  outgoingUrlChanged: agentBot.outgoingUrlChanged,
                  attached: agentBot.attached,
                },
              }),
        },
      };
    },

    /**
     * Stops Chatwoot calling the runtime for the organization, keeping the account and its data:
     * for each inbox provisioning tagged with the organization (and those of `chatbots`), its
     * `webhook_url` is emptied and its agent bot detached; the account webhooks to those inboxes'
     * chatbot URLs (and to `chatbots`' URLs) are deleted.
     * Needs an administrator the app created (an owner). Safe to run again.
     */
    async deprovisionOrganization(
      options: DeprovisionOrganizationOptions,
    ): Promise<DeprovisionedOrganization> {
      const operation = 'deprovisionOrganization';
      const { signal } = options;
      const resolved = parseOptions(deprovisionOrganizationOptionsSchema, options, operation);
      const done = { removedAccountWebhooks: 0, clearedInboxWebhooks: 0, detachedAgentBots: 0 };
      const account = await findAccount(platform, {
        organizationId: resolved.organizationId,
        accountId: resolved.accountId,
        operation,
        signal,
      });
      if (account === undefined) return { accountId: undefined, ...done };
      const token = await administratorToken(account.id, operation, signal);
      if (token === undefined) {
        throw new SupportError({
          code: 'unauthorized',
          message: `chatwoot ${operation} failed: account ${account.id} has no administrator the platform app created, whose token could remove its webhooks`,
          provider: 'chatwoot',
          operation,
        });
      }
      const application = applicationFor(account.id, token);
      const apiInboxes = await listApiInboxes(application.client, operation, signal);
      const inboxes = new Map(
        apiInboxes
          .filter((inbox) => tagOf(inbox.additional_attributes, organizationTag) === resolved.organizationId)
          .map((inbox) => [inbox.id, inbox]),
      );
      const urls = new Set<string>();
      for (const chatbot of resolved.chatbots) {
        urls.add(chatbot.webhookUrl);
        const inbox = findChatbotInbox(apiInboxes, {
          chatbotId: chatbot.id,
          inboxName: inboxNameOf(chatbot),
        });
        if (inbox !== undefined) inboxes.set(inbox.id, inbox);
      }
      for (const inbox of inboxes.values()) {
        const url = tagOf(inbox.additional_attributes, webhookUrlTag);
        if (url !== undefined) urls.add(url);
        if ((inbox.webhook_url ?? '') !== '') {
          await updateApiChannel(application.client, inbox.id, { webhook_url: '' }, operation, signal);
          done.clearedInboxWebhooks += 1;
        }
        if ((await attachedAgentBotId(application, inbox.id, operation, signal)) !== undefined) {
          if (await setInboxAgentBot(application, inbox.id, null, operation, signal))
            done.detachedAgentBots += 1;
        }
      }
      if (urls.size > 0) {
        done.removedAccountWebhooks = await removeAccountWebhooks(application, urls, operation, signal);
      }
      return { accountId: account.id, ...done };
    },
  };
}

export type ChatwootProvisioner = ReturnType<typeof createChatwootProvisioner>;

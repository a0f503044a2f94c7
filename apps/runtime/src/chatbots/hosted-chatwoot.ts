// Hosted Chatwoot: a chatbot that turns Chatwoot on with nothing filled in gets its organization's
// account, owners, inbox and webhook provisioned through the Platform API, and stores what that gave.
import { chatwootSettingsFields, createChatwootProvisioner } from '@handoff/chatwoot';
import { SupportError } from '@handoff/core';
import type { FastifyBaseLogger } from 'fastify';
import type { Dispatcher } from 'undici';
import type { RuntimeConfig } from '../config/runtime-config.js';
import { HttpProblem } from '../http/http-problem.js';
import type { ChatbotSettings } from './chatbot-settings.js';

type ChatwootSupport = Extract<ChatbotSettings['support'], { type: 'chatwoot' }>;

/** A 400 naming each field. */
const invalid = (issues: Array<{ path: string; message: string }>) =>
  new HttpProblem(400, 'invalid_request', `${issues[0]?.path}: ${issues[0]?.message}`, issues);

export interface HostedChatwootSettings {
  hosted: NonNullable<RuntimeConfig['hosted']['chatwoot']>;
  /** Where Chatwoot sends the chatbots' webhooks: the runtime's public URL. */
  publicUrl: string;
  dispatcher?: Dispatcher | undefined;
  log: FastifyBaseLogger;
}

/** Whether `support` asks for hosted Chatwoot: Chatwoot with no account details, or provisioned before. */
export const wantsHostedChatwoot = (support: ChatbotSettings['support']): support is ChatwootSupport =>
  support.type === 'chatwoot' && (support.chatwoot === undefined || support.hosted);

export function createHostedChatwoot(settings: HostedChatwootSettings) {
  const { hosted, log } = settings;
  const provisioner = createChatwootProvisioner({
    baseUrl: hosted.baseUrl,
    platformToken: hosted.platformToken ?? '',
    requestTimeoutMs: hosted.requestTimeoutMs,
    ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
  });
  return {
    /**
     * Provisions (or finds again, finishing what a failed run left) the account of the chatbot's
     * organization, its verified owners as administrators, the chatbot's API inbox and the account
     * webhook to the chatbot's route; resolves with the support settings to store. A 400 names
     * what is missing: the organization, or a verified owner.
     */
    async provision(
      bot: string,
      chatbot: ChatbotSettings,
      support: ChatwootSupport,
    ): Promise<ChatwootSupport> {
      const organization = chatbot.organization;
      if (organization === undefined) {
        throw invalid([
          {
            path: 'organization',
            message:
              'is required for hosted Chatwoot: the organization whose Chatwoot account this is (id, name, owners)',
          },
        ]);
      }
      const unverified = organization.owners.flatMap((owner, index) =>
        owner.emailVerified ? [] : [{ index, email: owner.email }],
      );
      if (unverified.length === organization.owners.length) {
        throw invalid(
          unverified.map(({ index, email }) => ({
            path: `organization.owners[${index}].emailVerified`,
            message: `${email} is not verified: Chatwoot logins go to verified addresses only, and at least one owner needs one`,
          })),
        );
      }
      try {
        const provisioned = await provisioner.provisionOrganization({
          organizationId: organization.id,
          name: organization.name,
          owners: organization.owners,
          chatbot: {
            id: bot,
            name: `${chatbot.name} (${bot})`,
            webhookUrl: `${settings.publicUrl.replace(/\/+$/, '')}/v1/bots/${bot}/support/webhook`,
          },
          ...(support.provisioning === undefined ? {} : { accountId: support.provisioning.accountId }),
          signal: AbortSignal.timeout(60_000),
        });
        const { report } = provisioned;
        log.info(
          {
            bot,
            organization: organization.id,
            account: report.account,
            inbox: report.inbox,
            refusedOwners: report.refusedOwners.map((owner) => owner.email),
          },
          'hosted Chatwoot provisioned',
        );
        return {
          type: 'chatwoot',
          hosted: true,
          // Provisioning registered the account webhook already.
          registerWebhook: false,
          chatwoot: chatwootSettingsFields.parse({
            ...(support.chatwoot ?? {}),
            ...provisioned.settings,
          }),
          provisioning: { accountId: report.account.id, refusedOwners: report.refusedOwners },
        };
      } catch (error) {
        if (!SupportError.isInstance(error)) throw error;
        throw new HttpProblem(
          error.retryable ? 503 : 502,
          'provisioning_failed',
          `support.chatwoot: provisioning the organization's Chatwoot account failed (${error.code}): ${error.message}; turning support on again goes on from where it stopped`,
        );
      }
    },
  };
}

export type HostedChatwoot = ReturnType<typeof createHostedChatwoot>;

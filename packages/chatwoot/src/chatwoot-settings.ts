import { type AdapterLiveObjects, requireSecretUnlessUnsigned, resolveWithEnvironment } from '@handoff/http';
import { z } from 'zod';
import {
  type ChatwootBehaviours,
  chatwootBehaviours,
  defaultChatwootVersion,
  unsupportedChatwootVersion,
} from './chatwoot-versions.js';

const positiveId = z.coerce.number().int().positive();

/** The fields of the settings, each optional-or-defaulted as documented, without cross-field rules. */
export const chatwootSettingsFields = z.object({
  /** Where Chatwoot runs, for example `https://chatwoot.example.com`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of the Chatwoot installation' }),
  accountId: positiveId,
  /** The API inbox conversations are created in. */
  inboxId: positiveId,
  /** Access token of an administrator, or of an agent who is a member of the inbox. */
  userToken: z.string().min(1, 'is required: the access token from the Chatwoot profile page'),
  /** An account agent bot (not attached to the inbox): bot turns are attributed to it. */
  agentBotId: positiveId.optional(),
  /** The agent bot's access token: conversation calls use it (bot handoff, no self-assignment). */
  agentBotToken: z.string().min(1).optional(),
  /**
   * The secret of the webhook that reaches the runtime: the API inbox's (`secret` of the inbox API
   * answer, Chatwoot 4.13.0+) or the account webhook's (4.11.2+).
   */
  webhookSecret: z.string().min(1).optional(),
  /**
   * Accept unsigned webhooks: an inbox `webhook_url` before Chatwoot 4.13.0 is unsigned, and before
   * 4.11.2 nothing is signed at all.
   */
  allowUnsignedWebhooks: z.boolean().default(false),
  /** The Chatwoot release the adapter talks to (4.11.0 or later); it selects the behaviours that differ. */
  chatwootVersion: z
    .string()
    .refine((version) => unsupportedChatwootVersion(version) === undefined, {
      error: (issue) => `is not supported: ${unsupportedChatwootVersion(String(issue.input))}`,
    })
    .default(defaultChatwootVersion),
  requestTimeoutMs: z.number().int().positive().default(10_000),
  webhookToleranceSeconds: z.number().int().positive().default(300),
  /** How long the team list is reused before it is fetched again. */
  teamsCacheTtlMs: z.number().int().nonnegative().default(300_000),
  /** Messages posted per conversation per minute; Chatwoot refuses more than 200. */
  messagesPerMinute: z.number().int().positive().max(200).default(180),
  /**
   * Wait suggested after a bare 429 (Chatwoot never says how long). Default: until rack-attack's
   * next window, the next whole minute.
   */
  rateLimitBackoffMs: z.number().int().positive().optional(),
  /** `api-access-token` survives proxies that drop headers with underscores (nginx by default). */
  tokenHeader: z.enum(['api_access_token', 'api-access-token']).default('api_access_token'),
});

/** Settings that can come from a file or the environment (everything but live objects). */
export const chatwootSettingsSchema = chatwootSettingsFields
  .superRefine(
    requireSecretUnlessUnsigned(
      'webhookSecret',
      'is required to verify webhooks (allowUnsignedWebhooks only for an inbox webhook_url before Chatwoot 4.13.0, or any webhook before 4.11.2)',
    ),
  )
  .superRefine(
    requireUnsignedWhereNotSigned(
      (behaviours) => behaviours.accountWebhooksSigned,
      (version) =>
        `must be true: Chatwoot ${version} signs no webhook (signing starts with 4.11.2 for account webhooks, 4.13.0 for inbox webhooks)`,
    ),
  );

/**
 * Webhooks a release does not sign must be taken unsigned, explicitly: a secret would refuse every
 * one of them. `signed` says which webhooks the rule is about.
 */
export function requireUnsignedWhereNotSigned(
  signed: (behaviours: ChatwootBehaviours) => boolean,
  message: (version: string) => string,
) {
  return (
    settings: { chatwootVersion: string; allowUnsignedWebhooks: boolean },
    context: z.RefinementCtx,
  ) => {
    if (unsupportedChatwootVersion(settings.chatwootVersion) !== undefined) return;
    const behaviours = chatwootBehaviours(settings.chatwootVersion);
    if (!signed(behaviours) && !settings.allowUnsignedWebhooks)
      context.addIssue({
        code: 'custom',
        path: ['allowUnsignedWebhooks'],
        message: message(behaviours.version),
      });
  };
}

export type ChatwootSettingsInput = z.input<typeof chatwootSettingsSchema>;
export type ResolvedChatwootSettings = z.output<typeof chatwootSettingsSchema>;

/** Everything `createChatwootAdapter` takes: the settings plus live objects. */
export interface ChatwootSettings extends Partial<ChatwootSettingsInput>, AdapterLiveObjects {}

/** The environment variables each setting falls back to. */
export const chatwootEnvironment = {
  baseUrl: 'CHATWOOT_BASE_URL',
  accountId: 'CHATWOOT_ACCOUNT_ID',
  inboxId: 'CHATWOOT_INBOX_ID',
  userToken: 'CHATWOOT_API_TOKEN',
  agentBotId: 'CHATWOOT_AGENT_BOT_ID',
  agentBotToken: 'CHATWOOT_AGENT_BOT_TOKEN',
  webhookSecret: 'CHATWOOT_WEBHOOK_SECRET',
  allowUnsignedWebhooks: 'CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS',
  chatwootVersion: 'CHATWOOT_VERSION',
} as const satisfies Partial<Record<keyof ChatwootSettingsInput, string>>;

/** Merges explicit settings over the environment and validates them, naming any bad field. */
export function resolveChatwootSettings(settings: ChatwootSettings): ResolvedChatwootSettings {
  return resolveWithEnvironment(
    chatwootSettingsSchema,
    chatwootEnvironment,
    { ...settings },
    'Chatwoot settings',
  );
}

import { type AdapterLiveObjects, requireSecretUnlessUnsigned, resolveWithEnvironment } from '@handoff/http';
import { z } from 'zod';
import { chatwootSettingsFields, requireUnsignedWhereNotSigned } from './chatwoot-settings.js';

/** The fields of the agent-bot settings, without cross-field rules (for embedding in other schemas). */
export const chatwootAgentBotSettingsFields = chatwootSettingsFields
  .pick({
    baseUrl: true,
    accountId: true,
    allowUnsignedWebhooks: true,
    requestTimeoutMs: true,
    webhookToleranceSeconds: true,
    teamsCacheTtlMs: true,
    messagesPerMinute: true,
    rateLimitBackoffMs: true,
    tokenHeader: true,
    chatwootVersion: true,
  })
  .extend({
    /** The agent bot's access token: every conversation call is made with it. */
    agentBotToken: z
      .string({ error: 'is required: the access token of the agent bot' })
      .min(1, 'is required: the access token of the agent bot'),
    /** The agent bot's webhook secret (`secret` of the agent bot, not its access token; Chatwoot 4.13.0+). */
    agentBotSecret: z.string().min(1).optional(),
    /**
     * Optional user token (administrator): lets routing name teams instead of ids and lets a
     * retried reply look for what was already posted. Bots may call neither endpoint.
     */
    userToken: z.string().min(1).optional(),
    /** Only conversations of these inboxes are answered (one bot can serve several). Default: all. */
    inboxIds: z.array(z.coerce.number().int().positive()).optional(),
  });

/** Settings of the agent bot (internal mode), checked at construction. */
export const chatwootAgentBotSettingsSchema = chatwootAgentBotSettingsFields
  .superRefine(
    requireSecretUnlessUnsigned(
      'agentBotSecret',
      'is required to verify the bot webhooks (set allowUnsignedWebhooks only for Chatwoot older than 4.13.0)',
    ),
  )
  .superRefine(
    requireUnsignedWhereNotSigned(
      (behaviours) => behaviours.agentBotWebhooksSigned,
      (version) =>
        `must be true: Chatwoot ${version} does not sign agent-bot webhooks (agent bots have a secret from 4.13.0)`,
    ),
  );

export type ChatwootAgentBotSettingsInput = z.input<typeof chatwootAgentBotSettingsSchema>;
export type ResolvedChatwootAgentBotSettings = z.output<typeof chatwootAgentBotSettingsSchema>;

/** Everything `createChatwootAgentBot` takes: the settings plus live objects. */
export interface ChatwootAgentBotSettings
  extends Partial<ChatwootAgentBotSettingsInput>,
    AdapterLiveObjects {}

/** The environment variables each agent-bot setting falls back to. */
export const chatwootAgentBotEnvironment = {
  baseUrl: 'CHATWOOT_BASE_URL',
  accountId: 'CHATWOOT_ACCOUNT_ID',
  agentBotToken: 'CHATWOOT_AGENT_BOT_TOKEN',
  agentBotSecret: 'CHATWOOT_AGENT_BOT_SECRET',
  userToken: 'CHATWOOT_API_TOKEN',
  allowUnsignedWebhooks: 'CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS',
  chatwootVersion: 'CHATWOOT_VERSION',
} as const satisfies Partial<Record<keyof ChatwootAgentBotSettingsInput, string>>;

export function resolveChatwootAgentBotSettings(
  settings: ChatwootAgentBotSettings,
): ResolvedChatwootAgentBotSettings {
  return resolveWithEnvironment(
    chatwootAgentBotSettingsSchema,
    chatwootAgentBotEnvironment,
    { ...settings },
    'Chatwoot agent bot settings',
  );
}

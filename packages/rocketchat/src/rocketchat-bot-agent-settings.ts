import { type AdapterLiveObjects, requireSecretUnlessUnsigned, resolveWithEnvironment } from '@handoff/http';
import { z } from 'zod';

/**
 * The fields of the Rocket.Chat bot agent's settings (internal mode): the bot is a Rocket.Chat
 * user with the `bot` and `livechat-agent` roles, an agent of the department(s) whose rooms it
 * serves; it calls with its own personal access token.
 */
export const rocketChatBotAgentSettingsFields = z.object({
  /** The server's origin (`https://chat.example.com`); `/api/v1` is appended. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of the Rocket.Chat server' }),
  /** The bot user's id (shown with its personal access token). */
  userId: z
    .string({ error: 'is required: the id of the bot user (X-User-Id)' })
    .min(1, 'is required: the id of the bot user (X-User-Id)'),
  /** The bot user's personal access token (sent as X-Auth-Token). */
  authToken: z
    .string({ error: 'is required: the personal access token of the bot user (X-Auth-Token)' })
    .min(1, 'is required: the personal access token of the bot user (X-Auth-Token)'),
  /** The Livechat secret token (Omnichannel → Webhooks → Secret Token), sent as `X-RocketChat-Livechat-Token`. */
  webhookSecret: z.string().min(1).optional(),
  /** Accept webhooks without the secret token. Never assumed. */
  allowUnsignedWebhooks: z.boolean().default(false),
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** How long the department list is reused. */
  departmentsCacheTtlMs: z.number().int().nonnegative().default(60_000),
  /** Wait suggested after a 429 that says nothing of when to come back. */
  rateLimitBackoffMs: z.number().int().positive().default(10_000),
});

export const rocketChatBotAgentSettingsSchema = rocketChatBotAgentSettingsFields.superRefine(
  requireSecretUnlessUnsigned(
    'webhookSecret',
    'is required to verify webhooks (the Livechat secret token Rocket.Chat sends as X-RocketChat-Livechat-Token)',
  ),
);

export type RocketChatBotAgentSettingsInput = z.input<typeof rocketChatBotAgentSettingsSchema>;
export type ResolvedRocketChatBotAgentSettings = z.output<typeof rocketChatBotAgentSettingsSchema>;

/** Everything `createRocketChatBotAgent` takes: the settings plus live objects. */
export interface RocketChatBotAgentSettings
  extends Partial<RocketChatBotAgentSettingsInput>,
    AdapterLiveObjects {
  now?: () => number;
}

/** The environment variables each setting falls back to (the bot's own, apart from the adapter's). */
export const rocketChatBotAgentEnvironment = {
  baseUrl: 'ROCKETCHAT_BASE_URL',
  userId: 'ROCKETCHAT_BOT_USER_ID',
  authToken: 'ROCKETCHAT_BOT_AUTH_TOKEN',
  webhookSecret: 'ROCKETCHAT_WEBHOOK_SECRET',
  allowUnsignedWebhooks: 'ROCKETCHAT_ALLOW_UNSIGNED_WEBHOOKS',
} as const satisfies Partial<Record<keyof RocketChatBotAgentSettingsInput, string>>;

export function resolveRocketChatBotAgentSettings(
  settings: RocketChatBotAgentSettings,
): ResolvedRocketChatBotAgentSettings {
  const { now: _now, ...rest } = settings;
  return resolveWithEnvironment(
    rocketChatBotAgentSettingsSchema,
    rocketChatBotAgentEnvironment,
    { ...rest },
    'Rocket.Chat bot agent settings',
  );
}

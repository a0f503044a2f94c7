import { type AdapterLiveObjects, requireSecretUnlessUnsigned, resolveWithEnvironment } from '@handoff/http';
import { z } from 'zod';

/**
 * The fields of the Rocket.Chat adapter's settings, without cross-field rules (for embedding in
 * other schemas, such as the runtime's settings form).
 */
export const rocketChatSettingsFields = z.object({
  /** The server's origin (`https://chat.example.com`); `/api/v1` is appended. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of the Rocket.Chat server' }),
  /** The id of the user the adapter calls as (My Account → Personal Access Tokens shows it with the token). */
  userId: z
    .string({ error: 'is required: the user id of the personal access token (X-User-Id)' })
    .min(1, 'is required: the user id of the personal access token (X-User-Id)'),
  /** The personal access token of that user (sent as X-Auth-Token). */
  authToken: z
    .string({ error: 'is required: the personal access token of the Rocket.Chat user (X-Auth-Token)' })
    .min(1, 'is required: the personal access token of the Rocket.Chat user (X-Auth-Token)'),
  /**
   * Administration → Settings → Omnichannel → Webhooks → Secret Token: Rocket.Chat sends it as
   * `X-RocketChat-Livechat-Token` on every webhook.
   */
  webhookSecret: z.string().min(1).optional(),
  /** Accept webhooks without the secret token. Never assumed. */
  allowUnsignedWebhooks: z.boolean().default(false),
  /**
   * The key visitor tokens are derived from (HMAC of our user id). A visitor token is the
   * visitor's credential in Rocket.Chat's Livechat API, so it must not be guessable from the user
   * id. Default: derived from `authToken`; set it (and keep it) so that a rotated access token
   * does not turn every returning user into a new visitor.
   */
  visitorTokenKey: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * The closing comment when the bot closes a room without a note: Rocket.Chat refuses a close
   * without one while *Request comment when closing conversation* is on (its default).
   */
  closingComment: z.string().trim().min(1).max(1_000).default('Closed by the bot.'),
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** How long the department list is reused. */
  departmentsCacheTtlMs: z.number().int().nonnegative().default(60_000),
  /** Wait suggested after a 429 that says nothing of when to come back. */
  rateLimitBackoffMs: z.number().int().positive().default(10_000),
});

export const rocketChatSettingsSchema = rocketChatSettingsFields.superRefine(
  requireSecretUnlessUnsigned(
    'webhookSecret',
    'is required to verify webhooks (the Livechat secret token Rocket.Chat sends as X-RocketChat-Livechat-Token)',
  ),
);

export type RocketChatSettingsInput = z.input<typeof rocketChatSettingsSchema>;
export type ResolvedRocketChatSettings = z.output<typeof rocketChatSettingsSchema>;

/** Everything `createRocketChatAdapter` takes: the settings plus live objects (dispatcher, env, replay guard, clock). */
export interface RocketChatSettings extends Partial<RocketChatSettingsInput>, AdapterLiveObjects {
  /** The clock (ms since the epoch); default `Date.now`. */
  now?: () => number;
}

/** The environment variables each setting falls back to. */
export const rocketChatEnvironment = {
  baseUrl: 'ROCKETCHAT_BASE_URL',
  userId: 'ROCKETCHAT_USER_ID',
  authToken: 'ROCKETCHAT_AUTH_TOKEN',
  webhookSecret: 'ROCKETCHAT_WEBHOOK_SECRET',
  visitorTokenKey: 'ROCKETCHAT_VISITOR_TOKEN_KEY',
  allowUnsignedWebhooks: 'ROCKETCHAT_ALLOW_UNSIGNED_WEBHOOKS',
} as const satisfies Partial<Record<keyof RocketChatSettingsInput, string>>;

/** Validates the settings (environment fallbacks included), naming any bad field. */
export function resolveRocketChatSettings(settings: RocketChatSettings): ResolvedRocketChatSettings {
  const { now: _now, ...rest } = settings;
  return resolveWithEnvironment(
    rocketChatSettingsSchema,
    rocketChatEnvironment,
    { ...rest },
    'Rocket.Chat settings',
  );
}

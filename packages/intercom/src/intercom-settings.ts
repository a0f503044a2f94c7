import { type AdapterLiveObjects, requireSecretUnlessUnsigned, resolveWithEnvironment } from '@handoff/http';
import { z } from 'zod';

/** The fields of the settings, without cross-field rules (for embedding in other schemas). */
export const intercomSettingsFields = z.object({
  /** `https://api.intercom.io`, or the regional `https://api.eu.intercom.io` / `https://api.au.intercom.io`. */
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be the http(s) URL of the Intercom API' })
    .default('https://api.intercom.io'),
  /** The app's access token (Developer Hub → the app → Authentication). */
  accessToken: z
    .string({ error: 'is required: the access token of the Intercom app' })
    .min(1, 'is required: the access token of the Intercom app'),
  /** The admin (teammate) the bot posts, assigns and closes as: `GET /me` with the token gives it. */
  botAdminId: z.coerce
    .string({ error: 'is required: the id of the admin the bot acts as (GET /me)' })
    .regex(/^\d{1,20}$/, 'must be an Intercom admin id (digits)'),
  /** The app's client secret: the key of `X-Hub-Signature` on webhooks. */
  clientSecret: z.string().min(1).optional(),
  /** Accept unsigned webhooks. Never assumed. */
  allowUnsignedWebhooks: z.boolean().default(false),
  /**
   * How bot turns are posted: `note` (internal, only agents see them; the default) or `comment`
   * (public: Intercom itself delivers admin replies to the user by Messenger or email, so the user
   * may see the bot's words twice).
   */
  botTurns: z.enum(['note', 'comment']).default('note'),
  /** Sent as `Intercom-Version` on every call, so the app's default version never decides. */
  intercomVersion: z.string().default('2.14'),
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** How long the team list (names and members) is reused. */
  teamsCacheTtlMs: z.number().int().nonnegative().default(300_000),
  /**
   * How long the admins' away mode is reused at most. An `admin.away_mode_updated` notification
   * makes the next availability check read it again at once; without that subscription, a
   * teammate back from away is seen within this bound.
   */
  adminsCacheTtlMs: z.number().int().nonnegative().default(30_000),
  /** Wait suggested after a 429 without `X-RateLimit-Reset`. */
  rateLimitBackoffMs: z.number().int().positive().default(10_000),
});

export const intercomSettingsSchema = intercomSettingsFields.superRefine(
  requireSecretUnlessUnsigned(
    'clientSecret',
    'is required to verify webhooks (the app client secret signs X-Hub-Signature)',
  ),
);

export type IntercomSettingsInput = z.input<typeof intercomSettingsSchema>;
export type ResolvedIntercomSettings = z.output<typeof intercomSettingsSchema>;

/** Everything `createIntercomAdapter` takes: the settings plus live objects. */
export interface IntercomSettings extends Partial<IntercomSettingsInput>, AdapterLiveObjects {}

/** The environment variables each setting falls back to. */
export const intercomEnvironment = {
  baseUrl: 'INTERCOM_BASE_URL',
  accessToken: 'INTERCOM_ACCESS_TOKEN',
  botAdminId: 'INTERCOM_BOT_ADMIN_ID',
  clientSecret: 'INTERCOM_CLIENT_SECRET',
  allowUnsignedWebhooks: 'INTERCOM_ALLOW_UNSIGNED_WEBHOOKS',
} as const satisfies Partial<Record<keyof IntercomSettingsInput, string>>;

export function resolveIntercomSettings(settings: IntercomSettings): ResolvedIntercomSettings {
  return resolveWithEnvironment(
    intercomSettingsSchema,
    intercomEnvironment,
    { ...settings },
    'Intercom settings',
  );
}

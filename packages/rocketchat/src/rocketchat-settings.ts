import { type AdapterLiveObjects, requireSecretUnlessUnsigned, resolveWithEnvironment } from '@handoff/http';
import { z } from 'zod';

/**
 * The settings of the Rocket.Chat adapter. Keep each field documented with where the user finds the
 * value in Rocket.Chat's admin screens; add what the vendor needs (account id, inbox id, region...).
 * Guide: CONTRIBUTING.md, "3. The adapter".
 */
export const rocketchatSettingsFields = z.object({
  /** The base URL of the Rocket.Chat API, without a trailing slash. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of the Rocket.Chat API' }),
  /** The API token the adapter calls Rocket.Chat with. */
  apiToken: z
    .string({ error: 'is required: the API token of Rocket.Chat' })
    .min(1, 'is required: the API token of Rocket.Chat'),
  /** The key Rocket.Chat signs its webhooks with. */
  webhookSecret: z.string().min(1).optional(),
  /** Accept unsigned webhooks. Never assumed. */
  allowUnsignedWebhooks: z.boolean().default(false),
  requestTimeoutMs: z.number().int().positive().default(10_000),
});

export const rocketchatSettingsSchema = rocketchatSettingsFields.superRefine(
  requireSecretUnlessUnsigned('webhookSecret', 'is required to verify webhooks'),
);

export type RocketchatSettingsInput = z.input<typeof rocketchatSettingsSchema>;
export type ResolvedRocketchatSettings = z.output<typeof rocketchatSettingsSchema>;

/** Everything `createRocketchatAdapter` takes: the settings plus live objects (dispatcher, env). */
export interface RocketchatSettings extends Partial<RocketchatSettingsInput>, AdapterLiveObjects {}

/** The environment variables each setting falls back to. */
export const rocketchatEnvironment = {
  baseUrl: 'ROCKETCHAT_BASE_URL',
  apiToken: 'ROCKETCHAT_API_TOKEN',
  webhookSecret: 'ROCKETCHAT_WEBHOOK_SECRET',
  allowUnsignedWebhooks: 'ROCKETCHAT_ALLOW_UNSIGNED_WEBHOOKS',
} as const satisfies Partial<Record<keyof RocketchatSettingsInput, string>>;

/** Validates the settings (environment fallbacks included), naming any bad field. */
export function resolveRocketchatSettings(settings: RocketchatSettings): ResolvedRocketchatSettings {
  return resolveWithEnvironment(
    rocketchatSettingsSchema,
    rocketchatEnvironment,
    { ...settings },
    'Rocket.Chat settings',
  );
}

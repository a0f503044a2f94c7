import { type AdapterLiveObjects, requireSecretUnlessUnsigned, resolveWithEnvironment } from '@handoff/http';
import { z } from 'zod';

/**
 * The settings of the Sunshine Conversations adapter. Keep each field documented with where the user finds the
 * value in Sunshine Conversations's admin screens; add what the vendor needs (account id, inbox id, region...).
 * Guide: CONTRIBUTING.md, "3. The adapter".
 */
export const sunshineSettingsFields = z.object({
  /** The base URL of the Sunshine Conversations API, without a trailing slash. */
  baseUrl: z.url({
    protocol: /^https?$/,
    error: 'must be the http(s) URL of the Sunshine Conversations API',
  }),
  /** The API token the adapter calls Sunshine Conversations with. */
  apiToken: z
    .string({ error: 'is required: the API token of Sunshine Conversations' })
    .min(1, 'is required: the API token of Sunshine Conversations'),
  /** The key Sunshine Conversations signs its webhooks with. */
  webhookSecret: z.string().min(1).optional(),
  /** Accept unsigned webhooks. Never assumed. */
  allowUnsignedWebhooks: z.boolean().default(false),
  requestTimeoutMs: z.number().int().positive().default(10_000),
});

export const sunshineSettingsSchema = sunshineSettingsFields.superRefine(
  requireSecretUnlessUnsigned('webhookSecret', 'is required to verify webhooks'),
);

export type SunshineSettingsInput = z.input<typeof sunshineSettingsSchema>;
export type ResolvedSunshineSettings = z.output<typeof sunshineSettingsSchema>;

/** Everything `createSunshineAdapter` takes: the settings plus live objects (dispatcher, env). */
export interface SunshineSettings extends Partial<SunshineSettingsInput>, AdapterLiveObjects {}

/** The environment variables each setting falls back to. */
export const sunshineEnvironment = {
  baseUrl: 'SUNSHINE_BASE_URL',
  apiToken: 'SUNSHINE_API_TOKEN',
  webhookSecret: 'SUNSHINE_WEBHOOK_SECRET',
  allowUnsignedWebhooks: 'SUNSHINE_ALLOW_UNSIGNED_WEBHOOKS',
} as const satisfies Partial<Record<keyof SunshineSettingsInput, string>>;

/** Validates the settings (environment fallbacks included), naming any bad field. */
export function resolveSunshineSettings(settings: SunshineSettings): ResolvedSunshineSettings {
  return resolveWithEnvironment(
    sunshineSettingsSchema,
    sunshineEnvironment,
    { ...settings },
    'Sunshine Conversations settings',
  );
}

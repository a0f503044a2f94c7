import { type AdapterLiveObjects, resolveWithEnvironment } from '@handoff/http';
import { z } from 'zod';

const required = (what: string) => z.string({ error: `is required: ${what}` }).min(1, `is required: ${what}`);

/**
 * The settings both modes share: the Sunshine Conversations app and its API key, the custom
 * integration whose webhook reaches us, and the Zendesk Support API (groups are the teams).
 */
export const sunshineConnectionFields = z.object({
  /**
   * The Sunshine Conversations API, without a trailing slash: `https://{subdomain}.zendesk.com/sc`
   * for Zendesk accounts, `https://api.smooch.io` (or `https://api.eu-1.smooch.io`) for legacy
   * Sunshine Conversations accounts.
   */
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be the http(s) URL of the Sunshine Conversations API' })
    .default('https://api.smooch.io'),
  /** The app id (Admin Center → Apps and integrations → Conversations API, with the key). */
  appId: required('the Sunshine Conversations app id'),
  /** The API key's id (`app_…`): the Basic auth user name. The key must have app scope. */
  keyId: required('the id of the Sunshine Conversations API key (app_…)'),
  /** The API key's secret: the Basic auth password. */
  keySecret: required('the secret of the Sunshine Conversations API key'),
  /**
   * The shared secret of our custom integration's webhook: Sunshine Conversations sends it in
   * `X-API-Key` with every delivery (there is no signature).
   */
  webhookSecret: required("the secret of the custom integration's webhook (sent in X-API-Key)"),
  /**
   * Our custom integration's id: messages it posted come back with `source.integrationId` set to
   * it (echoes), and its switchboard integration is the bot side of the switchboard.
   */
  integrationId: required('the id of the custom integration whose webhook reaches Handoff'),
  /**
   * Our switchboard integration (its id or its name), as `passControl` takes it. Default: read
   * once from the app's switchboard, as the switchboard integration of `integrationId`.
   */
  switchboardIntegration: z.string().min(1).optional(),
  /** The Zendesk Support API, `https://{subdomain}.zendesk.com` (groups are the teams). */
  zendeskUrl: z.url({
    protocol: /^https?$/,
    error: 'must be the http(s) URL of the Zendesk account (https://{subdomain}.zendesk.com)',
  }),
  /** The Zendesk user the API token belongs to (`{email}/token` is the Basic auth user name). */
  zendeskEmail: required('the email of the Zendesk user the API token belongs to'),
  /** A Zendesk Support API token (Admin Center → Apps and integrations → Zendesk API). */
  zendeskApiToken: required('a Zendesk Support API token'),
  /**
   * The tag a passed conversation's ticket gets for its group: `{prefix}{groupId}`. A Zendesk
   * trigger per group ("Tags contains at least one of handoff_group_<id>" → "Group: <group>")
   * routes it; Zendesk's metadata for the Agent Workspace has no group field.
   */
  routingTagPrefix: z
    .string()
    .regex(/^[a-z0-9_-]{1,60}$/, 'must be lower-case letters, digits, - or _ (a Zendesk tag prefix)')
    .default('handoff_group_'),
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** How long the group list is reused. */
  teamsCacheTtlMs: z.number().int().nonnegative().default(300_000),
  /** Wait suggested after a 429 without `Retry-After` (Sunshine Conversations asks for backoff). */
  rateLimitBackoffMs: z.number().int().positive().default(10_000),
});

/** The fields of the external-mode settings, without cross-field rules (for embedding in other schemas). */
export const sunshineSettingsFields = sunshineConnectionFields.extend({
  /** The name agents see on the bot's mirrored turns (business messages). */
  botName: z.string().min(1).max(128).default('Bot'),
});

export type SunshineSettingsInput = z.input<typeof sunshineSettingsFields>;
export type ResolvedSunshineSettings = z.output<typeof sunshineSettingsFields>;

/** Everything `createSunshineAdapter` takes: the settings plus live objects (dispatcher, env, replay guard). */
export interface SunshineSettings extends Partial<SunshineSettingsInput>, AdapterLiveObjects {
  /** The clock for cache ages. Default `Date.now`. */
  now?: () => number;
}

/** The environment variables each setting falls back to. */
export const sunshineEnvironment = {
  baseUrl: 'SUNSHINE_BASE_URL',
  appId: 'SUNSHINE_APP_ID',
  keyId: 'SUNSHINE_KEY_ID',
  keySecret: 'SUNSHINE_KEY_SECRET',
  webhookSecret: 'SUNSHINE_WEBHOOK_SECRET',
  integrationId: 'SUNSHINE_INTEGRATION_ID',
  switchboardIntegration: 'SUNSHINE_SWITCHBOARD_INTEGRATION',
  zendeskUrl: 'ZENDESK_URL',
  zendeskEmail: 'ZENDESK_EMAIL',
  zendeskApiToken: 'ZENDESK_API_TOKEN',
} as const satisfies Partial<Record<keyof SunshineSettingsInput, string>>;

/** Validates the settings (environment fallbacks included), naming any bad field. */
export function resolveSunshineSettings(settings: SunshineSettings): ResolvedSunshineSettings {
  const { now: _now, ...rest } = settings;
  return resolveWithEnvironment(
    sunshineSettingsFields,
    sunshineEnvironment,
    { ...rest },
    'Sunshine Conversations settings',
  );
}

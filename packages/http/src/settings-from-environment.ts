import { parseConfiguration, type ReplayGuard } from '@handoff/core';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';

/** Settings whose environment variable is a flag (`true` or `1`). */
const booleanSettings = new Set(['allowUnsignedWebhooks']);

/**
 * Merges explicit settings over the environment variables named in `environment` and validates
 * them with `schema`, naming any bad field. Live objects (dispatcher, replay guard, env) are left out.
 */
export function resolveWithEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  environment: Readonly<Record<string, string>>,
  settings: Record<string, unknown> & { env?: Readonly<Record<string, string | undefined>> | undefined },
  source: string,
): z.output<Schema> {
  const env = settings.env ?? process.env;
  const fromEnv: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(environment)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    fromEnv[key] = booleanSettings.has(key) ? value === 'true' || value === '1' : value;
  }
  const { dispatcher: _dispatcher, replayGuard: _replayGuard, env: _env, ...explicit } = settings;
  const defined = Object.fromEntries(Object.entries(explicit).filter(([, value]) => value !== undefined));
  return parseConfiguration(schema, { ...fromEnv, ...defined }, { source });
}

/**
 * A cross-field rule of every adapter's settings: the webhook secret named `field` is required
 * unless `allowUnsignedWebhooks` says, explicitly, that the system signs nothing.
 */
export function requireSecretUnlessUnsigned(field: string, message: string) {
  return (settings: { allowUnsignedWebhooks: boolean }, context: z.RefinementCtx): void => {
    if ((settings as Record<string, unknown>)[field] === undefined && !settings.allowUnsignedWebhooks) {
      context.addIssue({ code: 'custom', path: [field], message });
    }
  };
}

/** The live objects every adapter takes besides its settings. */
export interface AdapterLiveObjects {
  /** undici dispatcher for every request (proxy, pool, MockAgent in tests). */
  dispatcher?: Dispatcher;
  /** Remembers webhook deliveries (and the ids the adapter de-duplicates on); share one between instances. Default: in memory. */
  replayGuard?: ReplayGuard;
  /** Where missing settings are read from. Default `process.env`; pass `{}` to read nothing. */
  env?: Readonly<Record<string, string | undefined>>;
}

import { type AdapterLiveObjects, resolveWithEnvironment } from '@handoff/http';
import type { z } from 'zod';
import { sunshineEnvironment, sunshineSettingsFields } from './sunshine-settings.js';

/**
 * The fields of the switchboard bot's settings (internal mode), without cross-field rules: the
 * same connection as the external adapter, and the name the contact sees on the bot's replies.
 */
export const sunshineSwitchboardBotSettingsFields = sunshineSettingsFields;

export type SunshineSwitchboardBotSettingsInput = z.input<typeof sunshineSwitchboardBotSettingsFields>;
export type ResolvedSunshineSwitchboardBotSettings = z.output<typeof sunshineSwitchboardBotSettingsFields>;

/** Everything `createSunshineSwitchboardBot` takes: the settings plus live objects. */
export interface SunshineSwitchboardBotSettings
  extends Partial<SunshineSwitchboardBotSettingsInput>,
    AdapterLiveObjects {
  now?: () => number;
}

/** The environment variables each setting falls back to (the same as the external adapter's). */
export const sunshineSwitchboardBotEnvironment = sunshineEnvironment;

export function resolveSunshineSwitchboardBotSettings(
  settings: SunshineSwitchboardBotSettings,
): ResolvedSunshineSwitchboardBotSettings {
  const { now: _now, ...rest } = settings;
  return resolveWithEnvironment(
    sunshineSwitchboardBotSettingsFields,
    sunshineSwitchboardBotEnvironment,
    { ...rest },
    'Sunshine Conversations switchboard bot settings',
  );
}

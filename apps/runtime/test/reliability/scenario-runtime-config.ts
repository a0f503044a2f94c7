import { writeFileSync } from 'node:fs';
import { chatwootSettingsFor, type FakeChatwoot } from '@handoff/chatwoot/testing';
import type { RuntimeConfigInput } from '../../src/config/runtime-config.js';

export interface ScenarioRuntimeSettings {
  port: number;
  /** The channel API's bearer token. */
  token: string;
  storage: RuntimeConfigInput['storage'];
  /** The support system and the routing to its teams. */
  support: Pick<RuntimeConfigInput, 'support' | 'routing'>;
  callbackUrl: string;
  callbackSecret: string;
}

/** The runtime's settings for a fake Chatwoot: short timeouts, catching up every second, two teams. */
export function chatwootRuntimeSettings(fake: FakeChatwoot): Pick<RuntimeConfigInput, 'support' | 'routing'> {
  return {
    support: {
      type: 'chatwoot',
      name: 'chatwoot',
      catchUpIntervalMs: 1_000,
      chatwoot: { ...chatwootSettingsFor(fake), requestTimeoutMs: 1_000 },
    },
    routing: {
      defaultTeam: { team: '1', label: 'Support' },
      teams: [{ team: '2', label: 'Billing', skills: ['demo.shop.Refund'] }],
      askWhenNoSkill: true,
    },
  };
}

/**
 * The runtime configuration of the reliability scenarios: the demo bot, the given support system
 * (billing asked for), and the web channel calling back `callbackUrl`.
 */
function scenarioRuntimeConfig(settings: ScenarioRuntimeSettings): RuntimeConfigInput {
  return {
    server: { host: '127.0.0.1', port: settings.port },
    auth: { tokens: [{ name: 'scenario', token: settings.token }], rateLimitPerMinute: 1_000_000 },
    storage: settings.storage,
    bot: { type: 'demo' },
    ...settings.support,
    channels: {
      web: {
        callbackUrl: settings.callbackUrl,
        callbackSecret: settings.callbackSecret,
        callbackTimeoutMs: 1_000,
      },
    },
  };
}

/** Writes `scenarioRuntimeConfig(settings)` as JSON to `path` (for `--config`). */
export function writeScenarioConfig(path: string, settings: ScenarioRuntimeSettings): void {
  writeFileSync(path, JSON.stringify(scenarioRuntimeConfig(settings)));
}

import { writeFileSync } from 'node:fs';
import { chatwootSettingsFor, type FakeChatwoot } from '@handoff/chatwoot/testing';
import type { RuntimeConfigInput } from '../config/runtime-config.js';

export interface ScenarioRuntimeSettings {
  port: number;
  /** The channel API's bearer token. */
  token: string;
  storage: RuntimeConfigInput['storage'];
  fake: FakeChatwoot;
  callbackUrl: string;
  callbackSecret: string;
}

/**
 * The runtime configuration of the reliability scenarios: the demo bot, the fake Chatwoot with
 * short timeouts and catching up every second, two teams (billing asked for), and the web
 * channel calling back `callbackUrl`.
 */
function scenarioRuntimeConfig(settings: ScenarioRuntimeSettings): RuntimeConfigInput {
  return {
    server: { host: '127.0.0.1', port: settings.port },
    auth: { tokens: [{ name: 'scenario', token: settings.token }], rateLimitPerMinute: 1_000_000 },
    storage: settings.storage,
    bot: { type: 'demo' },
    support: {
      type: 'chatwoot',
      name: 'chatwoot',
      catchUpIntervalMs: 1_000,
      chatwoot: { ...chatwootSettingsFor(settings.fake), requestTimeoutMs: 1_000 },
    },
    routing: {
      defaultTeam: { team: '1', label: 'Support' },
      teams: [{ team: '2', label: 'Billing', skills: ['demo.shop.Refund'] }],
      askWhenNoSkill: true,
    },
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

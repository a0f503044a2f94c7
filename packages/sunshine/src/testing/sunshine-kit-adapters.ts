// The adapter and the switchboard bot a conformance run makes for a fake: its settings, the kit's
// call timeout and replay guard, and no environment (a test never reads SUNSHINE_* or ZENDESK_*).
import type { ReplayGuard } from '@handoff/core';
import { createSunshineAdapter } from '../sunshine-adapter.js';
import { createSunshineSwitchboardBot } from '../sunshine-switchboard-bot.js';
import type { FakeSunshine } from './fake-sunshine-server.js';
import { sunshineSettingsFor, sunshineSwitchboardSettingsFor } from './sunshine-settings-for.js';

/** What the kits give `createAdapter`. */
export interface SunshineKitContext {
  requestTimeoutMs: number;
  replayGuard?: ReplayGuard;
}

/** The external-mode adapter of a kit run against the fake. */
export function sunshineAdapterFor(fake: FakeSunshine, context: SunshineKitContext) {
  return createSunshineAdapter({
    ...sunshineSettingsFor(fake),
    requestTimeoutMs: context.requestTimeoutMs,
    ...(context.replayGuard === undefined ? {} : { replayGuard: context.replayGuard }),
    env: {},
  });
}

/** The switchboard bot (internal mode) of a kit run against the fake. */
export function sunshineSwitchboardBotFor(fake: FakeSunshine, context: SunshineKitContext) {
  return createSunshineSwitchboardBot({
    ...sunshineSwitchboardSettingsFor(fake),
    requestTimeoutMs: context.requestTimeoutMs,
    env: {},
  });
}

import { describeSupportAdapter } from '@handoff/conformance';
import type { ReplayGuard } from '@handoff/core';
import { createIntercomAdapter } from './intercom-adapter.js';
import type { IntercomSettings } from './intercom-settings.js';
import { createIntercomHarness, type IntercomHarness, intercomSettingsFor } from './testing/index.js';

export const intercomAdapterFor = (
  harness: IntercomHarness,
  context: { requestTimeoutMs: number; replayGuard?: ReplayGuard },
  overrides: IntercomSettings = {},
) =>
  createIntercomAdapter({
    ...intercomSettingsFor(harness.fake),
    requestTimeoutMs: context.requestTimeoutMs,
    ...(context.replayGuard === undefined ? {} : { replayGuard: context.replayGuard }),
    env: {},
    ...overrides,
  });

// The whole support contract against the fake Intercom, bot turns as notes (the default).
describeSupportAdapter({
  name: 'intercom (fake Intercom 2.14)',
  harness: () => createIntercomHarness(),
  createAdapter: (harness, context) => intercomAdapterFor(harness, context),
  requestTimeoutMs: 1_000,
});

// The same with bot turns as public admin replies.
describeSupportAdapter({
  name: 'intercom, bot turns as replies',
  harness: () => createIntercomHarness(),
  createAdapter: (harness, context) => intercomAdapterFor(harness, context, { botTurns: 'comment' }),
  requestTimeoutMs: 1_000,
});

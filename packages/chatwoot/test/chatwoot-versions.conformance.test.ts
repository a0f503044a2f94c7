import { describeBotHostAdapter, describeSupportAdapter } from '@handoff/conformance';
import { describe, expect, it } from 'vitest';
import { createChatwootAgentBot } from '../src/chatwoot-agent-bot.js';
import { chatwootBehaviours } from '../src/chatwoot-versions.js';
import {
  chatwootAgentBotSettingsFor,
  createChatwootBotHostHarness,
  createChatwootHarness,
} from '../src/testing/index.js';
import { chatwootAdapterFor } from './chatwoot-target.js';

/**
 * The releases whose behaviours differ for the adapter (the latest, 4.15.1, runs in the main
 * suites): 4.11.0 signs nothing and sends no delivery ids; 4.11.2 adds delivery ids and bot
 * retries; 4.13.0 signs inbox and bot webhooks and tells bots of status changes; 4.14.2 lets bots
 * read conversations and labels.
 */
const releases = ['4.11.0', '4.11.2', '4.13.0', '4.14.2'] as const;

for (const version of releases) {
  describeSupportAdapter({
    name: `chatwoot ${version}`,
    harness: () => createChatwootHarness({ version }),
    createAdapter: (harness, context) => chatwootAdapterFor(harness, context),
    requestTimeoutMs: 1_000,
  });
  describeBotHostAdapter({
    name: `chatwoot agent bot ${version}`,
    harness: () => createChatwootBotHostHarness({ version, botWebhookRetryDelayMs: 10 }),
    createAdapter: (harness, context) =>
      createChatwootAgentBot({
        ...chatwootAgentBotSettingsFor(harness.fake),
        requestTimeoutMs: context.requestTimeoutMs,
        env: {},
      }),
    requestTimeoutMs: 1_000,
  });
}

/** What of a release the adapter can see: everything but SafeFetch, which concerns the server's set-up. */
function adapterVisible(version: string): string {
  const {
    version: _version,
    privateWebhookTargetsRefused: _ssrf,
    privateNetworkOptIn: _optIn,
    ...visible
  } = chatwootBehaviours(version);
  return JSON.stringify(visible);
}

describe('the version matrix', () => {
  it('covers every distinct set of behaviours between 4.11.0 and the latest release', () => {
    const tags = [
      '4.11.0',
      '4.11.1',
      '4.11.2',
      '4.12.0',
      '4.12.1',
      '4.13.0',
      '4.14.0',
      '4.14.1',
      '4.14.2',
      '4.15.0',
      '4.15.1',
    ];
    expect(new Set([...releases, '4.15.1'].map(adapterVisible))).toEqual(new Set(tags.map(adapterVisible)));
  });
});

import type { ReplayGuard, SupportAdapter } from '@handoff/core';
import { createChatwootAdapter } from '../src/chatwoot-adapter.js';
import type { ChatwootSettings } from '../src/chatwoot-settings.js';
import { type ChatwootHarness, chatwootSettingsFor, createChatwootHarness } from '../src/testing/index.js';

/** The adapter configured for a harness's fake, as recommended: admin user token plus agent bot. */
export function chatwootAdapterFor(
  harness: ChatwootHarness,
  context: { requestTimeoutMs: number; replayGuard?: ReplayGuard },
  overrides: Partial<ChatwootSettings> = {},
): SupportAdapter {
  return createChatwootAdapter({
    ...chatwootSettingsFor(harness.fake),
    requestTimeoutMs: context.requestTimeoutMs,
    ...(context.replayGuard === undefined ? {} : { replayGuard: context.replayGuard }),
    env: {},
    ...overrides,
  });
}

/**
 * The adapter for account 1, inbox 3 of `https://chatwoot.test`, every request going to `dispatcher`
 * (an undici `MockAgent` answering what the test intercepts).
 */
export function chatwootAdapterOnMockAgent(dispatcher: NonNullable<ChatwootSettings['dispatcher']>) {
  return createChatwootAdapter({
    baseUrl: 'https://chatwoot.test',
    accountId: 1,
    inboxId: 3,
    userToken: 'token',
    webhookSecret: 'secret',
    dispatcher,
    env: {},
  });
}

export const chatwootTarget = {
  name: 'chatwoot (fake Chatwoot 4.15)',
  harness: () => createChatwootHarness(),
  createAdapter: (
    harness: ChatwootHarness,
    context: { requestTimeoutMs: number; replayGuard?: ReplayGuard },
  ) => chatwootAdapterFor(harness, context),
};

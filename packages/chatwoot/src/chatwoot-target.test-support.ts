import type { SupportAdapter } from '@handoff/core';
import { createChatwootAdapter } from './chatwoot-adapter.js';
import type { ChatwootSettings } from './chatwoot-settings.js';
import { type ChatwootHarness, createChatwootHarness } from './testing/index.js';

/** The adapter configured for a harness's fake, as recommended: admin user token plus agent bot. */
export function chatwootAdapterFor(
  harness: ChatwootHarness,
  context: { requestTimeoutMs: number },
  overrides: Partial<ChatwootSettings> = {},
): SupportAdapter {
  const { fake } = harness;
  return createChatwootAdapter({
    baseUrl: fake.baseUrl,
    accountId: fake.accountId,
    inboxId: fake.inboxId,
    userToken: fake.tokens.admin,
    agentBotId: fake.agentBotId,
    agentBotToken: fake.tokens.bot,
    webhookSecret: fake.inboxSecret,
    requestTimeoutMs: context.requestTimeoutMs,
    env: {},
    ...overrides,
  });
}

export const chatwootTarget = {
  name: 'chatwoot (fake Chatwoot 4.15)',
  harness: () => createChatwootHarness(),
  createAdapter: (harness: ChatwootHarness, context: { requestTimeoutMs: number }) =>
    chatwootAdapterFor(harness, context),
};

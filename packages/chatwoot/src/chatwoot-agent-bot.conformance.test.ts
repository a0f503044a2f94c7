import { type BotHostTarget, describeBotHostAdapter, runBotHostConformance } from '@handoff/conformance';
import {
  type BotHostAdapter,
  createMemoryReplayGuard,
  type ReplayGuard,
  WebhookVerificationError,
} from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { createChatwootAdapter } from './chatwoot-adapter.js';
import { createChatwootAgentBot } from './chatwoot-agent-bot.js';
import {
  type ChatwootBotHostHarness,
  chatwootAgentBotSettingsFor,
  chatwootSettingsFor,
  createChatwootBotHostHarness,
} from './testing/index.js';

const agentBotFor = (harness: ChatwootBotHostHarness, context: { requestTimeoutMs: number }) =>
  createChatwootAgentBot({
    ...chatwootAgentBotSettingsFor(harness.fake),
    requestTimeoutMs: context.requestTimeoutMs,
    env: {},
  });

const target: BotHostTarget<ChatwootBotHostHarness> = {
  name: 'chatwoot agent bot (fake Chatwoot 4.15)',
  harness: () => createChatwootBotHostHarness({ botWebhookRetryDelayMs: 10 }),
  createAdapter: agentBotFor,
};

// The whole internal-mode contract against the fake Chatwoot in agent-bot mode: with an
// administrator's token (the status is read with it) and with the bot's token alone (the status
// the bot webhooks showed is the guard).
describeBotHostAdapter({ ...target, requestTimeoutMs: 1_000 });
/** One replay guard per backend: the durable one a host keeps across restarts of the adapter. */
const guards = new WeakMap<ChatwootBotHostHarness, ReplayGuard>();
describeBotHostAdapter({
  ...target,
  name: 'chatwoot agent bot, bot token only',
  createAdapter: (harness, context) => {
    const replayGuard = guards.get(harness) ?? createMemoryReplayGuard();
    guards.set(harness, replayGuard);
    return createChatwootAgentBot({
      ...chatwootAgentBotSettingsFor(harness.fake),
      userToken: undefined,
      requestTimeoutMs: context.requestTimeoutMs,
      env: {},
      replayGuard,
    });
  },
  requestTimeoutMs: 1_000,
});

/** The same target with the adapter bent by `breaking`. */
const broken = (breaking: (adapter: BotHostAdapter, harness: ChatwootBotHostHarness) => BotHostAdapter) => ({
  ...target,
  createAdapter: (harness: ChatwootBotHostHarness, context: { requestTimeoutMs: number }) =>
    breaking(agentBotFor(harness, context), harness),
});

const failedPoints = async (variant: BotHostTarget<ChatwootBotHostHarness>) =>
  (await runBotHostConformance(variant, { requestTimeoutMs: 1_000 }))
    .filter((result) => result.status === 'failed')
    .map((result) => result.id);

describe('the internal-mode kit fails broken adapters', () => {
  it('fails an adapter that thinks the bot always holds the conversation', async () => {
    const failed = await failedPoints(
      broken((adapter) => ({
        ...adapter,
        async handleBotWebhook(options) {
          const result = await adapter.handleBotWebhook(options);
          return { ...result, events: result.events.map((event) => ({ ...event, holder: 'bot' as const })) };
        },
      })),
    );
    expect(failed).toEqual(
      expect.arrayContaining([
        'internal-mode/holder/human-after-handoff',
        'internal-mode/holder/resolve-and-return',
      ]),
    );
  });

  it('fails an adapter that talks over a human', async () => {
    const failed = await failedPoints(
      broken((adapter, harness) => {
        const external = createChatwootAdapter({ ...chatwootSettingsFor(harness.fake), env: {} });
        return {
          ...adapter,
          async replyAsBot(options) {
            const { posted } = await external.postMessages(options);
            return { delivered: true, posted };
          },
        };
      }),
    );
    expect(failed).toContain('internal-mode/replies/never-over-a-human');
  });

  it('fails an adapter that accepts unsigned webhooks', async () => {
    const failed = await failedPoints(
      broken((adapter) => ({
        ...adapter,
        async handleBotWebhook(options) {
          try {
            return await adapter.handleBotWebhook(options);
          } catch (error) {
            if (!(error instanceof WebhookVerificationError)) throw error;
            return { events: [] };
          }
        },
      })),
    );
    expect(failed).toEqual(
      expect.arrayContaining([
        'internal-mode/verification/tampered-body',
        'internal-mode/verification/unsigned',
        'internal-mode/verification/stale',
      ]),
    );
  });
});

import { type BotHostTarget, describeBotHostAdapter, runBotHostConformance } from '@handoff/conformance';
import { type BotHostAdapter, WebhookVerificationError } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { createSunshineAdapter } from './sunshine-adapter.js';
import {
  createSunshineBotHostHarness,
  type SunshineBotHostHarness,
  sunshineSettingsFor,
  sunshineSwitchboardBotFor,
} from './testing/index.js';

const switchboardBotFor = (harness: SunshineBotHostHarness, context: { requestTimeoutMs: number }) =>
  sunshineSwitchboardBotFor(harness.fake, context);

const target: BotHostTarget<SunshineBotHostHarness> = {
  name: 'sunshine switchboard bot (fake Sunshine Conversations)',
  harness: () => createSunshineBotHostHarness(),
  createAdapter: switchboardBotFor,
};

// The whole internal-mode contract against the fake, our switchboard integration the default one.
describeBotHostAdapter({ ...target, requestTimeoutMs: 1_000 });

/** The same target with the bot bent by `breaking`. */
const broken = (breaking: (bot: BotHostAdapter, harness: SunshineBotHostHarness) => BotHostAdapter) => ({
  ...target,
  createAdapter: (harness: SunshineBotHostHarness, context: { requestTimeoutMs: number }) =>
    breaking(switchboardBotFor(harness, context), harness),
});

const failedPoints = async (variant: BotHostTarget<SunshineBotHostHarness>) =>
  (await runBotHostConformance(variant, { requestTimeoutMs: 1_000 }))
    .filter((result) => result.status === 'failed')
    .map((result) => result.id);

describe('the internal-mode kit fails broken switchboard bots', () => {
  it('fails a bot that thinks it always holds the conversation (standby deliveries taken as its own)', async () => {
    const failed = await failedPoints(
      broken((bot) => ({
        ...bot,
        async handleBotWebhook(options) {
          const result = await bot.handleBotWebhook(options);
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

  it('fails a bot that talks over a human (posts without looking at the active integration)', async () => {
    const failed = await failedPoints(
      broken((bot, harness) => {
        const external = createSunshineAdapter({ ...sunshineSettingsFor(harness.fake), env: {} });
        return {
          ...bot,
          async replyAsBot(options) {
            const { posted } = await external.postMessages(options);
            return { delivered: true, posted };
          },
        };
      }),
    );
    expect(failed).toContain('internal-mode/replies/never-over-a-human');
  });

  it('fails a bot that accepts deliveries without the shared secret', async () => {
    const failed = await failedPoints(
      broken((bot) => ({
        ...bot,
        async handleBotWebhook(options) {
          try {
            return await bot.handleBotWebhook(options);
          } catch (error) {
            if (!(error instanceof WebhookVerificationError)) throw error;
            return { events: [] };
          }
        },
      })),
    );
    expect(failed).toEqual(
      expect.arrayContaining([
        'internal-mode/verification/unsigned',
        'internal-mode/verification/tampered-credential',
      ]),
    );
  });

  it('fails a bot that refuses a delivery Sunshine Conversations sends again', async () => {
    const failed = await failedPoints(
      broken((bot) => {
        const seen = new Set<string>();
        return {
          ...bot,
          async handleBotWebhook(options) {
            const result = await bot.handleBotWebhook(options);
            if (result.deliveryId !== undefined && seen.has(result.deliveryId))
              throw new WebhookVerificationError({
                reason: 'replayed_delivery',
                message: 'seen',
                provider: 'sunshine',
              });
            if (result.deliveryId !== undefined) seen.add(result.deliveryId);
            return result;
          },
        };
      }),
    );
    expect(failed).toContain('internal-mode/verification/retried-delivery');
  });

  it('fails a bot whose handoff note is a public message the contact would read', async () => {
    const failed = await failedPoints(
      broken((bot, harness) => {
        const external = createSunshineAdapter({ ...sunshineSettingsFor(harness.fake), env: {} });
        return {
          ...bot,
          async handOff(options) {
            await external.postMessages({
              conversationId: options.conversationId,
              messages: [
                {
                  id: `note-${options.note}`,
                  author: 'bot',
                  text: options.note,
                  createdAt: new Date().toISOString(),
                },
              ],
            });
            return bot.handOff({ ...options, note: '' });
          },
        };
      }),
    );
    expect(failed).toContain('internal-mode/handoff/to-team');
  });
});

// The kits must fail realistic broken Rocket.Chat adapters, each for the reason it is broken: a
// kit that let them through would prove nothing about the real one.
import {
  acceptingUnverifiedBotWebhooks,
  acceptingUnverifiedWebhooks,
  botHostPoints,
  type ConformanceTarget,
  closingNothing,
  failedPointIds,
  runBotHostConformance,
  transferringToTheFirstTeam,
} from '@handoff/conformance';
import type { BotHostAdapter, ReplayGuard, SupportAdapter, SupportEvent } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import {
  createRocketChatBotHostHarness,
  createRocketChatHarness,
  type RocketChatHarness,
  rocketChatAdapterFor,
  rocketChatBotAgentFor,
} from './testing/index.js';

type Context = { requestTimeoutMs: number; replayGuard: ReplayGuard };

const adapterFor = (harness: RocketChatHarness, context: Context, replayGuard = context.replayGuard) =>
  rocketChatAdapterFor(harness.fake, { ...context, replayGuard });

/** The Rocket.Chat target with the adapter bent by `breaking`. */
const broken = (
  breaking: (adapter: SupportAdapter, harness: RocketChatHarness, context: Context) => SupportAdapter,
): ConformanceTarget<RocketChatHarness> => ({
  name: 'rocketchat, broken',
  harness: () => createRocketChatHarness(),
  createAdapter: (harness, context) => breaking(adapterFor(harness, context), harness, context),
});

describe('the external kit fails broken Rocket.Chat adapters', () => {
  it('fails an adapter that accepts deliveries without the Livechat secret token', async () => {
    const failed = await failedPointIds(broken(acceptingUnverifiedWebhooks), ['webhook-verification/']);
    expect(failed).toEqual(expect.arrayContaining(['webhook-verification/missing-credential']));
  });

  it('fails an adapter that forgets the deliveries it saw (no replay refusal)', async () => {
    const forgetful: ReplayGuard = { firstSeen: async () => true };
    const failed = await failedPointIds(
      broken((_adapter, harness, context) => adapterFor(harness, context, forgetful)),
      ['webhook-verification/replay'],
    );
    expect(failed).toContain('webhook-verification/replay');
  });

  it("fails an adapter that reads its own user's messages in the webhook as an agent's (echoes)", async () => {
    // Rocket.Chat sets `agentId` on every message a user (not a visitor) writes, the adapter's own
    // bot turns and notes included: an adapter that does not drop them relays the bot to the user.
    const failed = await failedPointIds(
      broken((adapter, harness) => ({
        ...adapter,
        async handleWebhook(options) {
          const result = await adapter.handleWebhook(options);
          const payload = JSON.parse(Buffer.from(options.body).toString('utf8')) as {
            _id?: string;
            messages?: Array<{ _id: string; msg: string; agentId?: string }>;
          };
          const echoes: SupportEvent[] = (payload.messages ?? [])
            .filter((message) => message.agentId === harness.fake.userId)
            .map((message) => ({
              type: 'agent.message',
              id: `message:${message._id}`,
              conversationId: payload._id ?? '',
              message: { id: message._id, text: message.msg },
              agent: { id: harness.fake.userId },
            }));
          return { ...result, events: [...result.events, ...echoes] };
        },
      })),
      ['agent-events/no-echo', 'echoes/webhooks'],
    );
    expect(failed).toEqual(['agent-events/no-echo', 'echoes/webhooks']);
  });

  it('fails an adapter that forwards every transfer to the first department', async () => {
    const failed = await failedPointIds(broken(transferringToTheFirstTeam), ['transfer/team']);
    expect(failed).toContain('transfer/team');
  });

  // Ignoring `recover` is no broken variant here: every message is posted with our id as its
  // `_id`, so a retried post is refused as a duplicate by Rocket.Chat itself.
  it('fails an adapter that posts only the first message of a batch', async () => {
    const failed = await failedPointIds(
      broken((adapter) => ({
        ...adapter,
        postMessages: (options) =>
          adapter.postMessages({ ...options, messages: options.messages.slice(0, 1) }),
      })),
      ['post-messages/batch'],
    );
    expect(failed).toContain('post-messages/batch');
  });

  it('fails an adapter whose close does nothing (the room stays open)', async () => {
    const failed = await failedPointIds(broken(closingNothing), ['close-session/resolves']);
    expect(failed).toContain('close-session/resolves');
  });
});

const failedBotHostPoints = async (
  breaking: (adapter: BotHostAdapter) => BotHostAdapter,
  ids: readonly string[],
) =>
  (
    await runBotHostConformance(
      {
        name: 'rocketchat bot agent, broken',
        harness: () => createRocketChatBotHostHarness(),
        createAdapter: (harness, context) => breaking(rocketChatBotAgentFor(harness.fake, context)),
      },
      { points: botHostPoints.filter((point) => ids.includes(point.id)), requestTimeoutMs: 1_000 },
    )
  )
    .filter((result) => result.status === 'failed')
    .map((result) => result.id);

describe('the internal kit fails broken Rocket.Chat bot agents', () => {
  it('fails a bot agent that reports a reply delivered while a human serves the room', async () => {
    const failed = await failedBotHostPoints(
      (adapter) => ({
        ...adapter,
        replyAsBot: async (options) => ({ ...(await adapter.replyAsBot(options)), delivered: true }),
      }),
      ['internal-mode/replies/never-over-a-human'],
    );
    expect(failed).toEqual(['internal-mode/replies/never-over-a-human']);
  });

  it('fails a bot agent that hands off without the note', async () => {
    const failed = await failedBotHostPoints(
      (adapter) => ({ ...adapter, handOff: (options) => adapter.handOff({ ...options, note: '' }) }),
      ['internal-mode/handoff/to-team'],
    );
    expect(failed).toEqual(['internal-mode/handoff/to-team']);
  });

  it('fails a bot agent that accepts deliveries without the Livechat secret token', async () => {
    const failed = await failedBotHostPoints(acceptingUnverifiedBotWebhooks, [
      'internal-mode/verification/unsigned',
      'internal-mode/verification/tampered-credential',
    ]);
    expect(failed).toEqual(
      expect.arrayContaining([
        'internal-mode/verification/unsigned',
        'internal-mode/verification/tampered-credential',
      ]),
    );
  });
});

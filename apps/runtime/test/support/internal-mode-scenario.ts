// The internal-mode story every support system that owns the channel must tell the same way: the
// bot answers while it holds the conversation, hands off with the note to the routed team, stays
// silent while a human holds it, and answers again once the system gives it back.
import type { BotHostHarness } from '@handoff/core';
import { expect } from 'vitest';
import { eventually } from './runtime-test-kit.js';
import { internalModeDriver } from './support-system-loops.js';

export interface InternalModeScenarioOptions {
  harness: BotHostHarness & { fake: { idle(): Promise<void> } };
  engine: { drain(): Promise<unknown> };
  /** The team refunds are routed to (its id is checked on the handed-off conversation). */
  refundTeamId: string | undefined;
  /** The agent's name in the greeting. */
  agentName: string;
  /** How the system gives the conversation back to the bot (a solved ticket, a forward to the bot). */
  giveBack(conversationId: string): Promise<unknown>;
}

export async function runInternalModeScenario(options: InternalModeScenarioOptions): Promise<void> {
  const { harness, agentName } = options;
  const { settled, says, transcript } = internalModeDriver(harness, options.engine);

  const conversationId = await says('hello');
  expect(await transcript(conversationId)).toEqual([
    'user: hello',
    expect.stringMatching(/^bot: Hello! I can check an order status/),
  ]);
  expect((await harness.getConversation(conversationId))?.holder).toBe('bot');

  await says('I want a refund');
  await says('order A-1234');
  await says('let me talk to a human');
  const handedOff = await harness.getConversation(conversationId);
  expect(handedOff?.holder).toBe('human');
  expect(handedOff?.team?.id).toBe(options.refundTeamId);
  const noted = (await transcript(conversationId)).join('\n');
  expect(noted).toContain('Matched skill: demo.shop.Refund');
  expect(noted).toContain('orderNumber: A-1234');

  // A human holds the conversation: the contact writes, the bot says nothing.
  await harness.agentTakes(conversationId);
  await harness.agentReply(conversationId, `Hi Jane, ${agentName} from Billing here.`);
  await settled();
  const before = (await transcript(conversationId)).length;
  await says(`thanks ${agentName}`);
  const during = await transcript(conversationId);
  expect(during).toHaveLength(before + 1);
  expect(during.at(-1)).toBe(`user: thanks ${agentName}`);

  // The system gives the conversation back: the bot answers the next message (perhaps in a new one).
  await options.giveBack(conversationId);
  await settled();
  const next = await says('where is my parcel');
  await eventually(async () => {
    const lines = await transcript(next);
    if (!lines.some((line) => line === 'bot: Sure. What is your order number?'))
      throw new Error(`the bot has not answered yet: ${lines.slice(-3).join(' | ')}`);
  });
}

// The external-mode story every support system must tell the same way over the runtime's HTTP
// API: the user asks for a refund and a person, the conversation reaches the routed team with the
// transcript and the note, the agent's reply reaches the user, and the agent's close gives the
// user back to the bot.
import type { HarnessConversation, SupportHarness } from '@handoff/core';
import { expect } from 'vitest';
import type { startRuntime } from './runtime-test-kit.js';
import { eventually } from './runtime-test-kit.js';
import { handedOffConversationId } from './support-system-loops.js';

export interface ExternalModeScenarioOptions {
  started: Awaited<ReturnType<typeof startRuntime>>;
  harness: SupportHarness;
  /** The team refunds are routed to, by id, and its label in the routing. */
  refundTeam: { id: string | undefined; label: string };
  agentName: string;
  cleanups: Array<() => Promise<unknown>>;
  /** What else the system must show once the conversation reached the team. */
  afterHandoff?(conversation: HarnessConversation): void;
}

export async function runExternalModeScenario(options: ExternalModeScenarioOptions): Promise<void> {
  const { harness, refundTeam } = options;
  const alice = options.started.user('web', 'alice');
  await alice.say('I want a refund');
  const handoff = await alice.say('agent please');
  expect(handoff.json.replies?.at(-1)?.text).toBe(
    `Connecting you with ${refundTeam.label}. A person will answer here shortly.`,
  );
  const conversationId = await handedOffConversationId(alice);
  const conversation = await eventually(async () => {
    const found = await harness.getConversation(conversationId);
    if (found === undefined || found.team?.id !== refundTeam.id)
      throw new Error(`not with ${refundTeam.label} yet`);
    return found;
  });
  const texts = conversation.messages.map((message) => message.text);
  expect(texts.slice(0, 4)).toEqual([
    'I want a refund',
    'I can help with a refund. What is the order number?',
    'agent please',
    'Let me get a person for you.',
  ]);
  expect(texts.join('\n')).toContain('Matched skill: demo.shop.Refund');
  options.afterHandoff?.(conversation);

  const events = await alice.events();
  options.cleanups.push(events.close);
  const greeting = `Hi, ${options.agentName} from ${refundTeam.label} here.`;
  await harness.agentReply(conversationId, { text: greeting });
  await events.next((event) => event.data.text === greeting);

  // The agent closes (solves) the conversation: the bot has the user again.
  await harness.resolve(conversationId);
  await events.next((event) => event.data.notice === 'agentClosed');
  expect((await alice.say('thanks')).json.mode).toBe('bot');
}

import {
  createSunshineBotHostHarness,
  createSunshineHarness,
  type SunshineBotHostHarness,
  type SunshineHarness,
  sunshineSettingsFor,
  sunshineSwitchboardSettingsFor,
} from '@handoff/sunshine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';
import {
  handedOffConversationId,
  internalModeDriver,
  refundRoutingOver,
} from '../support/support-system-loops.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const routingOver = (teams: ReadonlyArray<{ id: string; name: string }>) =>
  refundRoutingOver(teams, { fallback: 'Support', refunds: 'Billing' });

describe('runtime with Zendesk messaging (Sunshine Conversations), external mode: the whole loop over HTTP', () => {
  it('passes control to the Agent Workspace for the routed group, relays the agent, and gives the user back to the bot when the ticket is solved', async () => {
    const harness: SunshineHarness = await createSunshineHarness();
    cleanups.push(async () => harness.close?.());
    const teams = await harness.teams();
    const started = await startRuntime({
      support: {
        type: 'sunshine',
        name: 'sunshine',
        sunshine: { ...sunshineSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
      },
      routing: routingOver(teams),
    });
    cleanups.push(started.close);
    // The custom integration's webhook points at the runtime.
    harness.fake.setWebhookUrl(`${started.url}/v1/support/sunshine/webhook`);

    const alice = started.user('web', 'alice');
    await alice.say('I want a refund');
    const handoff = await alice.say('agent please');
    expect(handoff.json.replies?.at(-1)?.text).toBe(
      'Connecting you with Billing. A person will answer here shortly.',
    );
    const conversationId = await handedOffConversationId(alice);
    const conversation = await eventually(async () => {
      const found = await harness.getConversation(conversationId);
      if (found?.team === undefined) throw new Error('not passed to the Agent Workspace yet');
      return found;
    });
    const billing = teams.find((team) => team.name === 'Billing');
    expect(conversation.team?.id).toBe(billing?.id);
    const texts = conversation.messages.map((message) => message.text);
    expect(texts.slice(0, 4)).toEqual([
      'I want a refund',
      'I can help with a refund. What is the order number?',
      'agent please',
      'Let me get a person for you.',
    ]);
    expect(texts.join('\n')).toContain('Matched skill: demo.shop.Refund');
    expect(harness.fake.users().find((user) => user.externalId === 'alice')).toBeDefined();

    const events = await alice.events();
    cleanups.push(events.close);
    await harness.agentReply(conversationId, { text: 'Hi, Anna from Billing here.' });
    await events.next((event) => event.data.text === 'Hi, Anna from Billing here.');

    // The agent solves the ticket: the Agent Workspace releases control, the bot has the user again.
    await harness.resolve(conversationId);
    await events.next((event) => event.data.notice === 'agentClosed');
    expect((await alice.say('thanks')).json.mode).toBe('bot');
  });
});

describe('runtime as a Sunshine Conversations switchboard integration (internal mode)', () => {
  it('answers while it has control, passes control with the note, stays silent on standby, and answers again when control comes back', async () => {
    const harness: SunshineBotHostHarness = await createSunshineBotHostHarness();
    cleanups.push(async () => harness.close?.());
    const teams = await harness.teams();
    const started = await startRuntime({
      agentBot: {
        type: 'sunshine',
        name: 'sunshine',
        sunshine: { ...sunshineSwitchboardSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
      },
      routing: routingOver(teams),
    });
    cleanups.push(started.close);
    harness.fake.setWebhookUrl(`${started.url}/v1/agent-bot/sunshine/webhook`);
    const engine = started.runtime.agentBotEngine;
    if (engine === undefined) throw new Error('the runtime has no internal-mode engine');
    const { settled, says, transcript } = internalModeDriver(harness, engine);

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
    expect(handedOff?.team?.id).toBe(teams.find((team) => team.name === 'Billing')?.id);
    const noted = (await transcript(conversationId)).join('\n');
    expect(noted).toContain('Matched skill: demo.shop.Refund');
    expect(noted).toContain('orderNumber: A-1234');

    // Standby: the agent holds the conversation, the contact writes, the bot says nothing.
    await harness.agentTakes(conversationId);
    await harness.agentReply(conversationId, 'Hi Jane, Anna from Billing here.');
    await settled();
    const before = (await transcript(conversationId)).length;
    await says('thanks Anna');
    const during = await transcript(conversationId);
    expect(during).toHaveLength(before + 1);
    expect(during.at(-1)).toBe('user: thanks Anna');

    // The agent solves the ticket: control comes back, and the bot answers the next message.
    await harness.resolve(conversationId);
    await settled();
    const next = await says('where is my parcel');
    await eventually(async () => {
      const lines = await transcript(next);
      if (!lines.some((line) => line === 'bot: Sure. What is your order number?'))
        throw new Error(`the bot has not answered yet: ${lines.slice(-3).join(' | ')}`);
    });
  });
});

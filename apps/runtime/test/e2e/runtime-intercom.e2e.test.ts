import { createIntercomHarness, type IntercomHarness, intercomSettingsFor } from '@handoff/intercom/testing';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';
import { handedOffConversationId } from '../support/support-system-loops.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake Intercom whose webhooks go to a runtime configured for it (Billing, Orders by team id). */
async function setup() {
  const harness: IntercomHarness = await createIntercomHarness();
  cleanups.push(async () => harness.close?.());
  const teams = Object.fromEntries(harness.fake.teams().map((team) => [team.name, team.id]));
  const started = await startRuntime({
    support: {
      type: 'intercom',
      name: 'intercom',
      intercom: { ...intercomSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
    },
    routing: {
      defaultTeam: { team: String(teams.Support), label: 'Support' },
      teams: [
        { team: String(teams.Billing), label: 'Billing', skills: ['demo.shop.Refund'] },
        { team: String(teams.Orders), label: 'Orders', skills: ['demo.shop.OrderStatus'] },
      ],
    },
  });
  cleanups.push(started.close);
  // Intercom POSTs each notification to the app's webhook URL: the runtime's.
  harness.fake.subscribe(async (delivery) => {
    const response = await request(`${started.url}/v1/support/intercom/webhook`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    await response.body.dump();
  });
  return { ...started, harness, teams };
}

describe('runtime with Intercom: the whole loop over HTTP', () => {
  it('hands off to the routed team, relays the teammate, and gives the user back to the bot on close', async () => {
    const { user, harness, teams } = await setup();
    const alice = user('web', 'alice');
    await alice.say('I want a refund');
    const handoff = await alice.say('agent please');
    expect(handoff.json.replies?.at(-1)?.text).toBe(
      'Connecting you with Billing. A person will answer here shortly.',
    );

    const conversationId = await handedOffConversationId(alice);
    const conversation = await eventually(async () => {
      const found = await harness.getConversation(conversationId);
      if (found?.team === undefined) throw new Error('not transferred yet');
      return found;
    });
    expect(conversation.team?.id).toBe(String(teams.Billing));
    expect(conversation.messages.map(({ author, text }) => [author, text])).toEqual([
      ['user', 'I want a refund'],
      ['note', 'I can help with a refund. What is the order number?'],
      ['user', 'agent please'],
      ['note', 'Let me get a person for you.'],
      ['note', expect.stringContaining('Matched skill: demo.shop.Refund')],
    ]);
    expect(harness.fake.contacts().find((contact) => contact.externalId === 'alice')).toBeDefined();

    const events = await alice.events();
    cleanups.push(events.close);
    await harness.agentReply(conversationId, { text: 'Hi, Anna from Billing here.' });
    await events.next((event) => event.data.text === 'Hi, Anna from Billing here.');

    await harness.resolve(conversationId);
    await events.next((event) => event.data.notice === 'agentClosed');
    expect((await alice.say('thanks')).json.mode).toBe('bot');
  });
});

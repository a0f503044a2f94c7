import type { MemoryConversation } from '@handoff/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(overrides: Parameters<typeof startRuntime>[0] = {}) {
  const started = await startRuntime(overrides);
  cleanups.push(started.close);
  const system = started.runtime.support.memory;
  if (system === undefined) throw new Error('expected the in-process support system');
  const console = {
    call: (path: string, body: unknown = {}) => started.call('POST', `/v1/console${path}`, body),
    get: (path: string) => started.call('GET', `/v1/console${path}`),
  };
  /** The conversation a user's session is handed to, once it is transferred. */
  const conversationOf = (alice: ReturnType<typeof started.user>) =>
    eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string') throw new Error('no conversation yet');
      const conversation = system.getConversation(id);
      if (conversation?.status !== 'open') throw new Error('not transferred yet');
      return conversation;
    });
  return { ...started, system, console, conversationOf };
}

const notices = (response: { json: { replies?: Array<{ kind: string; notice?: string }> } }) =>
  (response.json.replies ?? []).filter((reply) => reply.kind === 'notice').map((reply) => reply.notice);

const messagesOf = (conversation: MemoryConversation | undefined) =>
  (conversation?.messages ?? []).map((message) => [message.author, message.text]);

describe('handoff experience over HTTP: attachments', () => {
  const invoice = {
    url: 'https://files.example/invoice-1043.pdf',
    contentType: 'application/pdf',
    name: 'invoice-1043.pdf',
    size: 48_211,
  };

  it("carries the user's files to the agent and the agent's files to the user", async () => {
    const { user, console, conversationOf } = await setup();
    const alice = user('web', 'alice');
    await alice.say('agent');
    await alice.say('billing');
    const conversation = await conversationOf(alice);
    const events = await alice.events();
    cleanups.push(events.close);

    expect((await alice.say('here it is', { attachments: [invoice] })).status).toBe(200);
    await eventually(async () => {
      const shown = (await console.get(`/conversations/${conversation.id}`)).json.messages as Array<{
        text: string;
        attachments: unknown[];
      }>;
      expect(shown.at(-1)).toMatchObject({ text: 'here it is', attachments: [invoice] });
    });

    const label = {
      url: 'https://cdn.example/return-label.png',
      contentType: 'image/png',
      name: 'label.png',
      size: 912,
    };
    await console.call(`/conversations/${conversation.id}/reply`, {
      text: 'Your return label',
      attachments: [label],
    });
    const received = await events.next((event) => event.data.text === 'Your return label');
    expect(received.data).toMatchObject({ kind: 'agent', attachments: [label], agent: { name: 'Anna' } });
  });

  it('refuses files the support system cannot take, saying which limit', async () => {
    const { user, system } = await setup();
    const alice = user('web', 'alice');
    const tooLarge = await alice.say('big one', { attachments: [{ ...invoice, size: 30 * 1024 * 1024 }] });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.text).toContain('more than the support system takes (26214400)');
    const tooMany = await alice.say('many', { attachments: Array.from({ length: 16 }, () => invoice) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain('attachments');
    expect(system.listConversations()).toEqual([]);
  });
});

describe('handoff experience over HTTP: typing follows ownership', () => {
  it("shows the agent's typing while the agent holds the session, and not after", async () => {
    const { user, console, conversationOf } = await setup();
    const alice = user('web', 'alice');
    await alice.say('refund');
    await alice.say('agent');
    const conversation = await conversationOf(alice);
    const events = await alice.events();
    cleanups.push(events.close);
    await console.call(`/conversations/${conversation.id}/typing`, { typing: true });
    const typing = await events.next((event) => event.event === 'typing');
    expect(typing.data).toEqual({ typing: true, agent: { id: 'agent-anna', name: 'Anna' } });

    await console.call(`/conversations/${conversation.id}/resolve`);
    await events.next((event) => event.data.notice === 'agentClosed');
    await console.call(`/conversations/${conversation.id}/typing`, { typing: true });
    await console.call(`/conversations/${conversation.id}/reply`, { text: 'one more thing' });
    // The reply to a resolved conversation reopens it on the agent side but never reaches the
    // user: the session is the bot's again.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(events.events.filter((event) => event.event === 'typing')).toHaveLength(1);
    expect(events.texts()).not.toContain('one more thing');
  });
});

describe('handoff experience over HTTP: notices', () => {
  it('tells the user the team, the agent who joined and the close, in their language', async () => {
    const { user, console, conversationOf } = await setup({
      locales: {
        de: {
          handoffAccepted: 'Sie werden mit {team} verbunden.',
          agentJoined: '{agent} ist jetzt für Sie da.',
          agentClosed: 'Das Gespräch wurde beendet. Sie schreiben wieder mit dem Bot.',
        },
      },
    });
    const alice = user('web', 'alice');
    await alice.say('Ich möchte eine Rückerstattung, refund', {
      profile: { name: 'Alice', locale: 'de-DE' },
    });
    const handoff = await alice.say('agent');
    expect(handoff.json.replies?.at(-1)).toMatchObject({
      notice: 'handoffAccepted',
      text: 'Sie werden mit Billing verbunden.',
    });
    const conversation = await conversationOf(alice);
    const events = await alice.events();
    cleanups.push(events.close);
    await console.call(`/conversations/${conversation.id}/assign`);
    await events.next((event) => event.data.text === 'Anna ist jetzt für Sie da.');
    await console.call(`/conversations/${conversation.id}/resolve`);
    await events.next(
      (event) => event.data.text === 'Das Gespräch wurde beendet. Sie schreiben wieder mit dem Bot.',
    );

    // Another user without a locale gets the English defaults on the same channel.
    const bob = user('web', 'bob');
    await bob.say('refund');
    expect((await bob.say('agent')).json.replies?.at(-1)?.text).toBe(
      'Connecting you with Billing. A person will answer here shortly.',
    );
  });
});

describe('handoff experience over HTTP: context for agents', () => {
  it('gives agents the profile, skill and slots, reason, bot session, labels and attributes', async () => {
    const { user, console, conversationOf } = await setup();
    const alice = user('web', 'alice');
    await alice.say('I want a refund for order A-1043', {
      profile: { name: 'Alice Doe', email: 'alice@example.com', attributes: { plan: 'gold' } },
    });
    const handoff = await alice.say('agent');
    const conversation = await conversationOf(alice);
    const shown = (await console.get(`/conversations/${conversation.id}`)).json as {
      labels: string[];
      attributes: Record<string, unknown>;
      messages: Array<{ author: string; text: string; private: boolean }>;
    };
    const note = shown.messages.find((message) => message.author === 'note');
    expect(note?.private).toBe(true);
    expect(note?.text).toContain('Matched skill: demo.shop.Refund');
    expect(note?.text).toContain('Unfinished skills: demo.shop.Refund (orderNumber: A-1043)');
    expect(note?.text).toContain('Reason given: the user asked for a person');
    expect(note?.text).toContain('User: Alice Doe, alice@example.com (id alice)');
    expect(note?.text).toContain('plan: gold');
    expect(note?.text).toContain(`Bot session: ${handoff.json.sessionId}`);
    expect(shown.labels).toEqual(['bot-handoff']);
    expect(shown.attributes).toMatchObject({
      channel: 'web',
      user: 'alice',
      handoff_team: 'Billing',
      handoff_skill: 'demo.shop.Refund',
      handoff_reason: 'the user asked for a person',
    });
  });
});

describe('handoff experience over HTTP: nobody available', () => {
  /** Billing's only agent, Anna, is away. */
  async function billingAway(overrides: Parameters<typeof startRuntime>[0] = {}) {
    const started = await setup(overrides);
    expect((await started.console.call('/agents/agent-anna/availability', { available: false })).status).toBe(
      200,
    );
    const alice = started.user('web', 'alice');
    await alice.say('refund');
    const offer = await alice.say('agent');
    return { ...started, alice, offer };
  }

  it('offers to wait, leave a message or go back, and hands nothing over until the user chooses', async () => {
    const { alice, offer, system } = await billingAway();
    expect(offer.json.mode).toBe('no-agent');
    expect(offer.json.replies?.at(-1)).toMatchObject({
      notice: 'noAgentOnline',
      text: 'Nobody from Billing is available right now. Reply 1 to wait, 2 to leave a message, or 3 to go back to the bot.',
    });
    expect((await alice.session()).json).toMatchObject({
      mode: 'no-agent',
      team: { id: '2' },
      waiting: { reason: 'no_agents' },
    });
    expect(system.listConversations()).toEqual([]);
    expect(notices(await alice.say('maybe'))).toEqual(['optionNotUnderstood']);
  });

  it('hands over when the user waits, and gives the bot back with a notice after the wait timeout', async () => {
    const { alice, conversationOf, system } = await billingAway({ handoff: { waitTimeoutMs: 400 } });
    const events = await alice.events();
    cleanups.push(events.close);
    const waiting = await alice.say('1');
    expect(waiting.json).toMatchObject({ mode: 'human' });
    expect(notices(waiting)).toEqual(['waitAccepted']);
    const conversation = await conversationOf(alice);
    expect(conversation.messages.find((message) => message.author === 'note')?.text).toContain(
      'When the user asked: nobody of the team was online; the user chose to wait.',
    );
    const timedOut = await events.next((event) => event.data.notice === 'waitTimedOut');
    expect(timedOut.data.text).toBe(
      'Sorry, nobody from Billing could answer in time. You are talking to the bot again.',
    );
    expect((await alice.session()).json.mode).toBe('bot');
    expect(system.getConversation(conversation.id)?.status).toBe('resolved');
    expect(messagesOf(system.getConversation(conversation.id)).at(-1)).toEqual([
      'note',
      'Nobody answered within 1 s; the user went back to the bot.',
    ]);
    const back = await alice.say('hello');
    expect(back.json.replies?.[0]?.text).toContain('Nobody could take over just now');
  });

  it('keeps the user with the team once an agent answers, whatever the wait timer says', async () => {
    const { alice, console, conversationOf } = await billingAway({ handoff: { waitTimeoutMs: 300 } });
    await alice.say('1');
    const conversation = await conversationOf(alice);
    await console.call(`/conversations/${conversation.id}/reply`, { text: 'Back now, how can I help?' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await alice.session()).json.mode).toBe('human');
  });

  it('takes a message for the team, with no timer', async () => {
    const { alice, conversationOf, runtime } = await billingAway({ handoff: { waitTimeoutMs: 300 } });
    expect(notices(await alice.say('2'))).toEqual(['messageInvited']);
    await alice.say('Please refund order 1043 to my card.');
    const conversation = await eventually(async () => {
      const found = await conversationOf(alice);
      expect(messagesOf(found).at(-1)).toEqual(['user', 'Please refund order 1043 to my card.']);
      return found;
    });
    expect(conversation.messages.find((message) => message.author === 'note')?.text).toContain(
      'the user left a message',
    );
    expect(await runtime.engine.outbox.counts()).toMatchObject({ scheduled: 0 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await alice.session()).json).toMatchObject({ mode: 'human', waiting: { choice: 'message' } });
  });

  it('goes back to the bot on 3, with nothing opened', async () => {
    const { alice, system } = await billingAway();
    const back = await alice.say('3');
    expect(back.json.mode).toBe('bot');
    expect(notices(back)).toEqual(['returnedToBot']);
    expect(system.listConversations()).toEqual([]);
  });

  it('says the team is outside its business hours, from the configuration', async () => {
    const { user, system } = await setup({
      businessHours: { timezone: 'UTC', teams: { '2': {} } },
    });
    const alice = user('web', 'alice');
    await alice.say('refund');
    const offer = await alice.say('agent');
    expect(offer.json.replies?.at(-1)).toMatchObject({
      notice: 'outsideBusinessHours',
      text: 'Billing is outside business hours right now. Reply 1 to wait, 2 to leave a message, or 3 to go back to the bot.',
    });
    expect((await alice.session()).json).toMatchObject({ waiting: { reason: 'outside_hours' } });
    expect(system.listConversations()).toEqual([]);
  });
});

describe('handoff experience over HTTP: the user goes back to the bot', () => {
  it('closes the conversation with a note when the user says so while waiting for the team', async () => {
    const { user, system, conversationOf } = await setup();
    const alice = user('web', 'alice');
    await alice.say('refund');
    await alice.say('agent');
    const conversation = await conversationOf(alice);
    const back = await alice.say('back to bot');
    expect(back.json.mode).toBe('bot');
    expect(notices(back)).toEqual(['returnedToBot']);
    await eventually(() => expect(system.getConversation(conversation.id)?.status).toBe('resolved'));
    expect(messagesOf(system.getConversation(conversation.id)).slice(-2)).toEqual([
      ['user', 'back to bot'],
      ['note', 'The user went back to the bot.'],
    ]);
    expect((await alice.say('hello')).json.replies?.[0]?.text).toBe('I am the bot again. How can I help?');
  });

  it('closes the conversation with the note the channel gives while talking to a human', async () => {
    const { user, system, console, conversationOf } = await setup();
    const alice = user('web', 'alice');
    await alice.say('refund');
    await alice.say('agent');
    const conversation = await conversationOf(alice);
    await console.call(`/conversations/${conversation.id}/reply`, { text: 'Hello, Anna here.' });
    await eventually(async () => expect((await alice.session()).json.mode).toBe('human'));
    const closed = await alice.close('The user closed the chat window.');
    expect(closed.json).toMatchObject({ mode: 'bot' });
    await eventually(() => expect(system.getConversation(conversation.id)?.status).toBe('resolved'));
    expect(messagesOf(system.getConversation(conversation.id)).at(-1)).toEqual([
      'note',
      'The user closed the chat window.',
    ]);
  });
});

describe('handoff experience over HTTP: the bot gets a summary', () => {
  it("continues from the agent's last note when the agent closes", async () => {
    const { user, console, conversationOf } = await setup();
    const alice = user('web', 'alice');
    await alice.say('refund');
    await alice.say('agent');
    const conversation = await conversationOf(alice);
    const events = await alice.events();
    cleanups.push(events.close);
    await console.call(`/conversations/${conversation.id}/reply`, {
      text: 'Done, the refund is on its way.',
    });
    await console.call(`/conversations/${conversation.id}/note`, { text: 'Refunded order 1043 in full.' });
    await console.call(`/conversations/${conversation.id}/resolve`);
    await events.next((event) => event.data.notice === 'agentClosed');
    expect(events.texts()).not.toContain('Refunded order 1043 in full.');
    const next = await alice.say('thanks');
    expect(next.json.replies?.[0]?.text).toBe(
      'Welcome back, I am the bot again. Your agent\'s summary: "Refunded order 1043 in full.". Anything else?',
    );
  });
});

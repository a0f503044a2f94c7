// What the user and the agent experience around a handoff: attachments, typing, notices, the
// context note, nobody available, going back to the bot, the summary the bot gets.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { businessHoursSchema } from '../src/engine/business-hours.js';
import { InputError } from '../src/errors/input-error.js';
import { SupportError } from '../src/errors/support-error.js';
import { setupEngine, stopTestEngines } from './support/engine-test-setup.js';

afterEach(stopTestEngines);

const noticesOf = (deliveries: { message: { kind: string; notice?: string } }[]) =>
  deliveries
    .filter((delivery) => delivery.message.kind === 'notice')
    .map((delivery) => delivery.message.notice);

describe('handoff experience: attachments', () => {
  const file = {
    url: 'https://files.example/a.pdf',
    contentType: 'application/pdf',
    name: 'invoice.pdf',
    size: 2_000,
  };

  it('refuses more attachments, or larger ones, than the support system takes, naming the limit', async () => {
    const { engine, user } = setupEngine({
      capabilities: { attachments: { maxBytes: 1_000, maxPerMessage: 1 } },
    });
    const tooLarge = engine.handleUserMessage({ ...user, message: { text: 'here', attachments: [file] } });
    await expect(tooLarge).rejects.toBeInstanceOf(InputError);
    await expect(tooLarge).rejects.toThrow(/2000 bytes is more than the support system takes \(1000\)/);
    const small = { ...file, size: 10 };
    await expect(
      engine.handleUserMessage({ ...user, message: { text: 'two', attachments: [small, small] } }),
    ).rejects.toThrow(/at most 1 attachments per message/);
  });

  it('turns files into links for a support system without attachments, never dropping them', async () => {
    const { engine, support, user, say } = setupEngine({ capabilities: { attachments: false } });
    await say('human');
    await engine.handleUserMessage({ ...user, message: { text: 'my invoice', attachments: [file] } });
    await engine.drain();
    const posted = support.callsOf('postMessages').flatMap((call) => call.options.messages);
    expect(posted.at(-1)).toMatchObject({ text: 'my invoice\n[invoice.pdf: https://files.example/a.pdf]' });
    expect(posted.at(-1)).not.toHaveProperty('attachments');
  });

  it('passes the files of a support system with attachments as they are, both ways', async () => {
    const { engine, support, channel, user, say, conversationId } = setupEngine();
    await say('human');
    await engine.handleUserMessage({ ...user, message: { text: '', attachments: [file] } });
    await engine.drain();
    expect(support.callsOf('postMessages').at(-1)?.options.messages[0]?.attachments).toEqual([file]);
    const image = { url: 'https://cdn.example/x.png', contentType: 'image/png', name: 'x.png', size: 5 };
    await engine.applyEvents([
      {
        type: 'agent.message',
        id: 'message:1',
        conversationId: await conversationId(),
        message: { id: '1', text: '', attachments: [image] },
        agent: { name: 'Anna' },
      },
    ]);
    await engine.drain();
    expect(channel.deliveries.at(-1)?.message).toMatchObject({ kind: 'agent', attachments: [image] });
  });
});

describe('handoff experience: typing follows ownership', () => {
  it('relays agent typing only while a human holds the session', async () => {
    const { engine, channel, say, conversationId, agentResolves } = setupEngine({ mode: 'continuous' });
    await say('hello');
    await engine.drain();
    const typing = async () =>
      engine.applyEvents([
        {
          type: 'agent.typing',
          id: `typing:${Math.random()}`,
          conversationId: await conversationId(),
          typing: true,
          agent: { name: 'Anna' },
        },
      ]);
    await typing();
    expect(channel.typings).toEqual([]);
    await say('human');
    await engine.drain();
    await typing();
    expect(channel.typings).toEqual([
      { channelId: 'web', userId: 'user-1', typing: true, agent: { name: 'Anna' } },
    ]);
    await agentResolves();
    await engine.drain();
    expect(channel.typings).toHaveLength(1);
  });
});

describe('handoff experience: notices', () => {
  it('tells the user the team, the agent who joined, and that the agent closed, in their locale', async () => {
    const { engine, channel, user, conversationId, agentResolves } = setupEngine({
      engine: {
        notices: ({ locale }) =>
          locale === 'de'
            ? {
                handoffAccepted: 'Wir verbinden Sie mit {team}.',
                agentJoined: '{agent} ist da.',
                agentClosed: 'Beendet.',
              }
            : {},
      },
    });
    const turn = await engine.handleUserMessage({
      ...user,
      message: { text: 'human' },
      profile: { locale: 'de' },
    });
    expect(turn.replies.at(-1)).toMatchObject({
      notice: 'handoffAccepted',
      text: 'Wir verbinden Sie mit General.',
    });
    await engine.drain();
    await engine.applyEvents([
      {
        type: 'agent.assigned',
        id: 'assigned',
        conversationId: await conversationId(),
        agent: { id: '7', name: 'Anna' },
      },
    ]);
    await agentResolves();
    await engine.drain();
    expect(channel.texts()).toEqual(['Anna ist da.', 'Beendet.']);
  });
});

describe('handoff experience: context for agents', () => {
  it('gives agents the profile, matched skill, unfinished skills with slots, reason, session, labels and attributes', async () => {
    const { engine, support, user } = setupEngine({
      capabilities: { labels: true },
      engine: { transferLabels: ['bot-handoff', 'vip'] },
    });
    await engine.handleUserMessage({
      ...user,
      message: { text: 'refund A-17' },
      profile: { name: 'Jo Doe', email: 'jo@example.com', locale: 'en', attributes: { plan: 'gold' } },
    });
    const turn = await engine.handleUserMessage({ ...user, message: { text: 'human' } });
    await engine.drain();
    const [transfer] = support.callsOf('transfer');
    expect(transfer?.options).toMatchObject({ team: '2', labels: ['bot-handoff', 'vip'] });
    const note = transfer?.options.note ?? '';
    expect(note).toContain('Matched skill: me.test.shop.Refund');
    expect(note).toContain('Unfinished skills: me.test.shop.Refund (order: A-17)');
    expect(note).toContain('Reason given: the user asked for a human');
    expect(note).toContain('User: Jo Doe, jo@example.com (id user-1)');
    expect(note).toContain('plan: gold');
    expect(note).toContain(`Bot session: ${turn.sessionId}`);
    expect(support.callsOf('openConversation')[0]?.options.attributes).toEqual({
      channel: 'web',
      user: 'user-1',
      handoff_team: 'Billing',
      handoff_skill: 'me.test.shop.Refund',
      handoff_reason: 'the user asked for a human',
    });
  });

  it('sends no labels to a support system without them', async () => {
    const { engine, support, say } = setupEngine();
    await say('human');
    await engine.drain();
    expect(support.callsOf('transfer')[0]?.options).not.toHaveProperty('labels');
  });
});

describe('handoff experience: the support user found while availability is asked', () => {
  it('asks for the user before the availability answer, once, and opens with it', async () => {
    const { engine, support, say } = setupEngine({ capabilities: { availability: true } });
    await say('human');
    await engine.drain();
    // One round trip for both: the user is asked for first, and not again when the conversation opens.
    expect(support.operations()).toEqual([
      'ensureUser',
      'teamAvailability',
      'openConversation',
      'postMessages',
      'transfer',
    ]);
  });

  it('asks again when the early question failed, and the handoff goes on', async () => {
    const { engine, support, say } = setupEngine({ capabilities: { availability: true } });
    support.failNext('ensureUser', new SupportError({ code: 'unavailable', message: 'down for a moment' }));
    expect((await say('human')).mode).toBe('human');
    await engine.drain();
    expect(support.callsOf('ensureUser')).toHaveLength(2);
    expect(support.callsOf('transfer')).toHaveLength(1);
  });

  it('does not ask when no availability question is made (nothing to overlap)', async () => {
    const { engine, support, say } = setupEngine();
    await say('human');
    await engine.drain();
    expect(support.operations().slice(0, 2)).toEqual(['ensureUser', 'openConversation']);
  });
});

describe('handoff experience: nobody available', () => {
  const unavailable = (reason: 'no_agents' | 'outside_hours' = 'no_agents') => {
    const setup = setupEngine({
      capabilities: { availability: true },
      engine: { noAgent: { waitTimeoutMs: 40 } },
    });
    setup.support.setAvailability('1', { available: false, reason });
    return setup;
  };

  it('offers to wait, leave a message or go back, and opens nothing until the user chooses', async () => {
    const { engine, support, say, telemetry } = unavailable();
    const turn = await say('human');
    expect(turn.mode).toBe('no-agent');
    expect(turn.replies.at(-1)).toMatchObject({ notice: 'noAgentOnline' });
    expect(turn.replies.at(-1)?.text).toContain('Nobody from General is available');
    await engine.drain();
    // The support user is found while availability is asked; no conversation is opened.
    expect(support.operations()).toEqual(['ensureUser', 'teamAvailability']);
    expect(telemetry).toContainEqual({
      type: 'handoff.unavailable',
      key: 'web/user-1',
      team: '1',
      reason: 'no_agents',
    });
  });

  it('hands over with the choice in the note when the user waits, and gives the bot back after the wait timeout', async () => {
    const { engine, support, channel, say, bot } = unavailable();
    await say('human');
    const waiting = await say('1');
    expect(waiting).toMatchObject({ mode: 'human', replies: [{ notice: 'waitAccepted' }] });
    await engine.drain();
    expect(support.callsOf('transfer')[0]?.options.note).toContain(
      'nobody of the team was online; the user chose to wait.',
    );
    await vi.waitFor(async () =>
      expect((await engine.getSession({ channelId: 'web', userId: 'user-1' }))?.mode).toBe('bot'),
    );
    await engine.drain();
    expect(noticesOf(channel.deliveries)).toEqual(['waitTimedOut']);
    expect(support.callsOf('closeSession')[0]?.options.note).toMatch(
      /^Nobody answered within 1 s; the user went back to the bot/,
    );
    await say('hello again');
    expect(bot.requests.at(-1)?.returned).toMatchObject({ reason: 'no_agent' });
  });

  it('keeps the user with the team once an agent answered, whatever the timer says', async () => {
    const { engine, say, agentSays } = unavailable();
    await say('human');
    await say('wait');
    await engine.drain();
    await agentSays('I am here');
    await new Promise((resolve) => setTimeout(resolve, 80));
    await engine.drain();
    expect((await engine.getSession({ channelId: 'web', userId: 'user-1' }))?.mode).toBe('human');
  });

  it('takes a message without a timer, and goes back to the bot on 3', async () => {
    const left = unavailable();
    await left.say('human');
    expect(await left.say('2')).toMatchObject({ mode: 'human', replies: [{ notice: 'messageInvited' }] });
    await left.engine.drain();
    expect(left.support.callsOf('transfer')[0]?.options.note).toContain('left a message');
    expect(await left.engine.outbox.counts()).toMatchObject({ scheduled: 0 });

    const back = unavailable();
    await back.say('human');
    expect(await back.say('3')).toMatchObject({ mode: 'bot', replies: [{ notice: 'returnedToBot' }] });
    await back.engine.drain();
    expect(back.support.operations()).toEqual(['ensureUser', 'teamAvailability']);
  });

  it('asks again once, then takes an unclear answer as the message', async () => {
    const { engine, support, say } = unavailable();
    await say('human');
    expect(await say('hmm?')).toMatchObject({
      mode: 'no-agent',
      replies: [{ notice: 'optionNotUnderstood' }],
    });
    expect(await say('my card was charged twice')).toMatchObject({
      mode: 'human',
      replies: [{ notice: 'messageInvited' }],
    });
    await engine.drain();
    const posted = support
      .callsOf('postMessages')
      .flatMap((call) => call.options.messages.map((message) => message.text));
    expect(posted).toContain('my card was charged twice');
  });

  it('uses configured business hours when the support system cannot tell', async () => {
    const { say } = setupEngine({
      engine: {
        businessHours: businessHoursSchema.parse({ timezone: 'UTC', default: { mon: '09:00-17:00' } }),
        now: () => new Date('2026-11-22T10:00:00Z'),
      },
    });
    const turn = await say('human');
    expect(turn).toMatchObject({ mode: 'no-agent', replies: [{}, { notice: 'outsideBusinessHours' }] });
    expect(turn.replies.at(-1)?.text).toContain('General is outside business hours');
  });

  it('applies configured business hours before asking the support system', async () => {
    const { support, say } = setupEngine({
      capabilities: { availability: true },
      engine: {
        businessHours: businessHoursSchema.parse({ timezone: 'UTC', teams: { '1': { mon: '09:00-17:00' } } }),
        now: () => new Date('2026-11-23T18:00:00Z'),
      },
    });
    expect(await say('human')).toMatchObject({
      mode: 'no-agent',
      replies: [{}, { notice: 'outsideBusinessHours' }],
    });
    expect(support.operations()).toEqual([]);
  });

  it('hands over when the availability question fails, and reports it', async () => {
    const { engine, support, say, telemetry } = setupEngine({ capabilities: { availability: true } });
    support.failNext('teamAvailability', new Error('boom'));
    expect(await say('human')).toMatchObject({ mode: 'human' });
    await engine.drain();
    expect(telemetry).toContainEqual({ type: 'availability.failed', team: '1', error: 'Error' });
  });

  it('checks availability for a handoff the host requests too', async () => {
    const { engine, user } = unavailable('outside_hours');
    const turn = await engine.requestHandoff({ ...user, reason: 'VIP' });
    expect(turn).toMatchObject({ mode: 'no-agent', replies: [{ notice: 'outsideBusinessHours' }] });
  });
});

describe('handoff experience: the user goes back to the bot', () => {
  it('closes the conversation with a note while waiting for the team or talking to a human', async () => {
    for (const before of [[], ['hello']]) {
      const { engine, support, say, agentSays } = setupEngine();
      await say('human');
      await engine.drain();
      for (const text of before) await agentSays(text);
      expect(await say('back to bot')).toMatchObject({ mode: 'bot', replies: [{ notice: 'returnedToBot' }] });
      await engine.drain();
      expect(support.callsOf('closeSession')).toEqual([
        {
          operation: 'closeSession',
          options: { conversationId: 'conversation-1', note: 'The user went back to the bot.' },
        },
      ]);
    }
  });
});

describe('handoff experience: the bot gets a summary', () => {
  it("hands the close reason, the agent's last message and last note to the bot", async () => {
    const { engine, channel, say, bot, agentSays, agentNotes, agentResolves } = setupEngine();
    await say('human');
    await engine.drain();
    await agentSays('Refund issued.');
    await agentNotes('first draft');
    await agentNotes('Refunded order A-17; user may ask about delivery.');
    await agentResolves();
    await engine.drain();
    expect(channel.texts()).not.toContain('first draft');
    await say('thanks');
    expect(bot.requests.at(-1)?.returned).toMatchObject({
      reason: 'agent_closed',
      lastAgentMessage: 'Refund issued.',
      lastAgentNote: 'Refunded order A-17; user may ask about delivery.',
    });
  });
});

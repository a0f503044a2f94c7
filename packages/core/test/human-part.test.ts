// The human part comes back to the bot: what the user and the agents wrote while a human held the
// session, in order, bounded, and only on the first message after the return.

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { HandoffSession, HumanPartMessage } from '../src/session/handoff-session.js';
import {
  humanPartText,
  maxHumanPartCharacters,
  maxHumanPartMessages,
  recordHumanPart,
} from '../src/session/human-part.js';
import { createSession } from '../src/session/session-transitions.js';
import { setupEngine as setup, stopTestEngines } from './support/engine-test-setup.js';

afterEach(stopTestEngines);

describe('the human part on return', () => {
  it("gives the bot the user's and the agent's messages and the agent's notes, in order", async () => {
    const { engine, bot, say, agentSays, agentNotes, agentResolves } = setup();
    await say('human', 'm1');
    await engine.drain();
    await say('my order A-17 never came', 'm2');
    await agentSays('I am sorry, I have sent a new one.');
    await agentNotes('Reshipped A-17; tracking sent by email.');
    // A note or message delivered again (a repeated webhook, a read-back) is there once.
    await agentNotes('Reshipped A-17; tracking sent by email.');
    await agentSays('I am sorry, I have sent a new one.');
    await say('thank you', 'm3');
    await agentResolves();
    await engine.drain();

    await say('one more question', 'm4');
    const returned = bot.requests.at(-1)?.returned;
    expect(returned?.reason).toBe('agent_closed');
    expect(
      returned?.transcript?.map((message) => ({
        author: message.author,
        text: message.text,
        agentName: message.agentName,
      })),
    ).toEqual([
      { author: 'user', text: 'my order A-17 never came', agentName: undefined },
      { author: 'agent', text: 'I am sorry, I have sent a new one.', agentName: 'Anna' },
      { author: 'note', text: 'Reshipped A-17; tracking sent by email.', agentName: 'Anna' },
      { author: 'user', text: 'thank you', agentName: undefined },
    ]);
    expect(returned?.droppedMessages).toBeUndefined();
    // The bot conversation before the handoff is not part of it, and the next turn carries none.
    await say('and another', 'm5');
    expect(bot.requests.at(-1)?.returned).toBeUndefined();
  });

  it('carries it when the user goes back to the bot, and starts the next human part empty', async () => {
    const { engine, bot, say, agentSays, agentResolves } = setup();
    await say('human', 'm1');
    await engine.drain();
    await agentSays('Hello, how can I help?');
    await say('back to bot', 'm2');
    await say('hi bot', 'm3');
    expect(bot.requests.at(-1)?.returned?.transcript?.map((message) => message.text)).toEqual([
      'Hello, how can I help?',
      'back to bot',
    ]);

    await say('human', 'm4');
    await engine.drain();
    await agentSays('Second time, hello.', 'agent-second');
    await agentResolves();
    await engine.drain();
    await say('hi again', 'm5');
    expect(bot.requests.at(-1)?.returned?.transcript?.map((message) => message.text)).toEqual([
      'Second time, hello.',
    ]);
  });

  it('has no transcript when nothing was written in the human part', async () => {
    const { engine, bot, say, agentResolves } = setup();
    await say('human', 'm1');
    await engine.drain();
    await agentResolves();
    await engine.drain();
    await say('hello', 'm2');
    expect(bot.requests.at(-1)?.returned?.reason).toBe('agent_closed');
    expect(bot.requests.at(-1)?.returned?.transcript).toBeUndefined();
  });
});

describe('the bound of the human part', () => {
  const newSession = (): HandoffSession =>
    createSession({
      key: 'k',
      channelId: 'web',
      userId: 'u',
      sessionId: 's',
      now: new Date(0).toISOString(),
    });
  const message = fc.record({
    author: fc.constantFrom<HumanPartMessage['author']>('user', 'agent', 'note'),
    text: fc.string({ minLength: 1, maxLength: 2_000 }),
    createdAt: fc.constant(new Date(0).toISOString()),
  });

  it('keeps the latest messages within both bounds and counts every one it drops', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 120 }), (messages) => {
        const session = newSession();
        for (const written of messages) recordHumanPart(session, written);
        const kept = session.humanPart ?? [];
        expect(kept.length).toBeLessThanOrEqual(maxHumanPartMessages);
        expect(kept.reduce((total, item) => total + item.text.length, 0)).toBeLessThanOrEqual(
          maxHumanPartCharacters,
        );
        // The latest ones, in order, and nothing lost without being counted.
        expect(kept).toEqual(messages.slice(messages.length - kept.length));
        expect(kept.length + (session.humanPartDropped ?? 0)).toBe(messages.length);
      }),
    );
  });

  it('drops the oldest when the characters run over, before the message count does', () => {
    const session = newSession();
    for (let index = 0; index < 20; index += 1) {
      recordHumanPart(session, { author: 'user', text: `${index}`.padEnd(1_000, '.'), createdAt: 'x' });
    }
    expect(session.humanPart?.map((kept) => Number.parseInt(kept.text, 10))).toEqual([
      4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
    expect(session.humanPartDropped).toBe(4);
  });

  it('cuts one long message and names files without their addresses', () => {
    const text = humanPartText('y'.repeat(3_000));
    expect(text).toHaveLength(2_000);
    expect(text.endsWith('…')).toBe(true);
    expect(
      humanPartText('see', [
        {
          url: 'https://files.example/secret-token/a.pdf',
          contentType: 'application/pdf',
          name: 'invoice.pdf',
        },
        { url: 'https://files.example/b', contentType: 'image/png' },
      ]),
    ).toBe('see [file: invoice.pdf] [file: unnamed]');
  });
});

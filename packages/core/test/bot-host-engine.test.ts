// The host engine (internal mode) end to end on a scripted host and bot.

import { afterEach, describe, expect, it } from 'vitest';
import {
  type BotHostEngine,
  type BotHostTelemetryEvent,
  createBotHostEngine,
} from '../src/bot-host/bot-host-engine.js';
import type { BotConnector } from '../src/contract/bot-connector.js';
import { SupportError } from '../src/errors/support-error.js';
import { createSkillRouter } from '../src/routing/skill-router.js';
import type { BotHostEvent, ConversationHolder } from '../src/schemas/bot-host-event.js';
import { testRouting } from './support/engine-test-setup.js';
import { createScriptedBot } from './support/scripted-bot.js';
import { createScriptedHost } from './support/scripted-host.js';

const engines: BotHostEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

function setup(options: { bot?: BotConnector; teams?: string[] } = {}) {
  const scripted = createScriptedBot();
  const scriptedHost = createScriptedHost(options.teams === undefined ? {} : { teams: options.teams });
  const telemetry: BotHostTelemetryEvent[] = [];
  const engine = createBotHostEngine({
    host: scriptedHost.host,
    bot: options.bot ?? scripted.bot,
    router: createSkillRouter(testRouting),
    delivery: { backoff: { initialDelayMs: 5, maxDelayMs: 20 }, maxAttempts: 3 },
    onTelemetry: (event) => telemetry.push(event),
  });
  engine.start();
  engines.push(engine);
  let counter = 0;
  const send = async (events: BotHostEvent[]) => {
    await engine.receiveWebhook({ headers: {}, body: JSON.stringify(events) });
    await engine.drain();
  };
  const contactWrites = (conversationId: string, text: string, holder?: ConversationHolder) => {
    counter += 1;
    const current = holder ?? scriptedHost.conversation(conversationId).holder;
    return send([
      {
        type: 'contact.message',
        id: `message:${counter}`,
        conversationId,
        holder: current,
        contact: { id: 'contact-9', name: 'Jane', email: 'jane@example.test' },
        message: { id: `m${counter}`, text },
      },
    ]);
  };
  const holderChanges = (conversationId: string, holder: ConversationHolder) => {
    counter += 1;
    scriptedHost.setHolder(conversationId, holder);
    return send([{ type: 'conversation.holder', id: `status:${counter}`, conversationId, holder }]);
  };
  return { engine, scripted, scriptedHost, telemetry, send, contactWrites, holderChanges };
}

const contactEvent = {
  type: 'contact.message',
  conversationId: '42',
  holder: 'bot',
  contact: { id: 'contact-9' },
} as const;

describe('bot host engine', () => {
  it('answers a contact as the bot while the bot holds the conversation', async () => {
    const { scripted, scriptedHost, contactWrites } = setup();
    await contactWrites('42', 'hello');
    expect(scriptedHost.conversation('42').botMessages.map((message) => message.text)).toEqual([
      'echo: hello',
    ]);
    expect(scripted.requests[0]).toMatchObject({
      session: { channelId: 'host:scripted-host', userId: 'contact-9' },
      message: { text: 'hello' },
      profile: { name: 'Jane', email: 'jane@example.test' },
    });
  });

  it('stays silent while a human holds the conversation, and never asks the bot', async () => {
    const { scripted, scriptedHost, telemetry, contactWrites, holderChanges } = setup();
    await contactWrites('42', 'hello');
    await holderChanges('42', 'human');
    await contactWrites('42', 'are you there?');
    expect(scripted.requests).toHaveLength(1);
    expect(scriptedHost.conversation('42').botMessages).toHaveLength(1);
    expect(telemetry).toContainEqual({ type: 'host.silent', conversationId: '42', reason: 'human' });
  });

  it('hands off to the team of the unfinished skill with the reason and context in the note', async () => {
    const { engine, scriptedHost, contactWrites } = setup();
    await contactWrites('42', 'refund A-17');
    await contactWrites('42', 'human');
    const hosted = scriptedHost.conversation('42');
    expect(hosted.team).toBe('2');
    expect(hosted.labels).toEqual(['bot-handoff']);
    expect(hosted.notes[0]).toContain('Matched skill: me.test.shop.Refund');
    expect(hosted.notes[0]).toContain('order: A-17');
    expect(hosted.notes[0]).toContain('Reason given: the user asked for a human');
    expect(hosted.botMessages.map((message) => message.text)).toContain('Let me find a person.');
    expect((await engine.getSession('42'))?.mode).toBe('human');
  });

  it('gives the bot a fresh session when agents hand the conversation back', async () => {
    const { engine, scripted, scriptedHost, contactWrites, holderChanges } = setup();
    await contactWrites('42', 'human');
    const first = (await engine.getSession('42'))?.sessionId;
    await contactWrites('42', 'still waiting', 'human');
    await holderChanges('42', 'bot');
    await contactWrites('42', 'hello again');
    const last = scripted.requests.at(-1);
    expect(scripted.requests).toHaveLength(2);
    expect(last?.message.text).toBe('hello again');
    expect(last?.session.sessionId).not.toBe(first);
    expect(last?.returned?.reason).toBe('agent_closed');
    expect(scriptedHost.conversation('42').botMessages.at(-1)?.text).toBe('echo: hello again');
  });

  it('answers again when a resolved conversation comes back pending with a new message', async () => {
    const { engine, scripted, contactWrites, holderChanges } = setup();
    await contactWrites('42', 'hello');
    const first = (await engine.getSession('42'))?.sessionId;
    await holderChanges('42', 'closed');
    await contactWrites('42', 'me again', 'bot');
    expect(scripted.requests).toHaveLength(2);
    expect(scripted.requests[1]?.session.sessionId).not.toBe(first);
  });

  it('does not take a pending status during its own handoff for a hand-back', async () => {
    const { engine, scripted, scriptedHost } = setup();
    scriptedHost.failNext(
      'handOff',
      new SupportError({
        code: 'unavailable',
        message: 'down',
        provider: 'scripted-host',
        operation: 'handOff',
      }),
    );
    // The contact writes again before the handoff went through: the conversation still says pending.
    await engine.receiveWebhook({
      headers: {},
      body: JSON.stringify([
        { ...contactEvent, id: 'message:1', message: { id: 'm1', text: 'human' } },
        { type: 'conversation.holder', id: 'status:early', conversationId: '42', holder: 'bot' },
        { ...contactEvent, id: 'message:2', message: { id: 'm2', text: 'hello?' } },
      ]),
    });
    await engine.drain();
    expect(scripted.requests).toHaveLength(1);
    expect(scriptedHost.conversation('42').team).toBe('1');
  });

  it('asks the bot once for a message delivered twice', async () => {
    const { scripted, send } = setup();
    const event: BotHostEvent = {
      type: 'contact.message',
      id: 'message:7',
      conversationId: '42',
      holder: 'bot',
      contact: { id: 'contact-9' },
      message: { id: 'm7', text: 'hello' },
    };
    await send([event]);
    await send([{ ...event, id: 'message:7-again' }]);
    expect(scripted.requests).toHaveLength(1);
  });

  it('hands the contact to the default team when the bot fails', async () => {
    const failing: BotConnector = {
      async respond() {
        throw new Error('bot crashed');
      },
    };
    const { scriptedHost, telemetry, contactWrites } = setup({ bot: failing });
    await contactWrites('42', 'hello');
    expect(scriptedHost.conversation('42').team).toBe('1');
    expect(scriptedHost.conversation('42').notes[0]).toContain('the bot could not answer (bot_failed)');
    expect(telemetry).toContainEqual({ type: 'host.bot-failed', conversationId: '42', error: 'bot_failed' });
  });

  it('withholds a reply when a human took the conversation while the bot was answering', async () => {
    const { scriptedHost, telemetry, contactWrites } = setup();
    scriptedHost.setHolder('42', 'human');
    await contactWrites('42', 'hello', 'bot');
    expect(scriptedHost.conversation('42').botMessages).toEqual([]);
    expect(telemetry).toContainEqual({ type: 'host.reply-withheld', conversationId: '42', messages: 1 });
  });

  it('falls back to the default team when the routed team cannot take the handoff', async () => {
    const { scriptedHost, contactWrites } = setup({ teams: ['1'] });
    await contactWrites('42', 'refund');
    await contactWrites('42', 'human');
    const hosted = scriptedHost.conversation('42');
    expect(hosted.team).toBe('1');
    expect(hosted.notes.at(-1)).toContain('The handoff to team 2 failed');
  });
});

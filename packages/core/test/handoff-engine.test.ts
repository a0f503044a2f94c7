// The handoff engine end to end on scripted support, bot and channel: turns, webhooks, deliveries,
// storage conflicts and catching up.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BotConnector } from '../src/contract/bot-connector.js';
import { createInMemoryOutbox } from '../src/delivery/in-memory-outbox.js';
import { BotError } from '../src/errors/bot-error.js';
import { InputError } from '../src/errors/input-error.js';
import { SupportError } from '../src/errors/support-error.js';
import { WebhookVerificationError } from '../src/errors/webhook-verification-error.js';
import type { SupportEvent } from '../src/schemas/support-event.js';
import { createInMemorySessionStore } from '../src/session/in-memory-session-store.js';
import { createInMemoryStorage } from '../src/session/in-memory-storage.js';
import { setupEngine as setup, stopTestEngines } from './support/engine-test-setup.js';
import { supportError } from './support/scripted-support.js';
import { createSlowStorage } from './support/slow-storage.js';

afterEach(stopTestEngines);

/** Anna's reply number `n` in conversation `conversationId`, written at 10:00:0n. */
const agentReplyAt = (conversationId: string, n: number): SupportEvent => ({
  type: 'agent.message',
  id: `message:${n}`,
  conversationId,
  occurredAt: new Date(Date.UTC(2026, 5, 20, 10, 0, n)).toISOString(),
  message: { id: String(n), text: `reply ${n}` },
  agent: { name: 'Anna' },
});

describe('handoff engine: the bot holds the session', () => {
  it('answers with the bot and makes no support call in on-handoff mode', async () => {
    const { engine, support, say } = setup();
    const first = await say('hello');
    const second = await say('how are you');
    await engine.drain();
    expect(first).toMatchObject({
      mode: 'bot',
      duplicate: false,
      replies: [{ kind: 'bot', text: 'echo: hello' }],
    });
    expect(second.replies.map((reply) => reply.text)).toEqual(['echo: how are you']);
    expect(support.calls).toEqual([]);
  });

  it('stores the bot session the bot was asked with on the very first message', async () => {
    const { engine, bot, say, user } = setup();
    const first = await say('hello');
    const stored = await engine.getSession(user);
    expect(bot.requests[0]?.session.sessionId).toBe(stored?.sessionId);
    expect(first.sessionId).toBe(stored?.sessionId);
  });

  it('keeps the bot conversation bounded, counting what it dropped', async () => {
    const { engine, say, user } = setup({ maxTranscript: 4 });
    for (const text of ['one', 'two', 'three']) await say(text);
    const session = await engine.getSession(user);
    expect(session?.transcript.map((message) => message.text)).toEqual([
      'two',
      'echo: two',
      'three',
      'echo: three',
    ]);
    expect(session?.droppedMessages).toBe(2);
  });

  it('does nothing twice for a repeated client message id', async () => {
    const { engine, bot, say, user } = setup();
    const first = await say('hello', 'client-1');
    const again = await say('hello', 'client-1');
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, replies: [] });
    expect(bot.requests).toHaveLength(1);
    expect((await engine.getSession(user))?.transcript).toHaveLength(2);
  });

  it('refuses a message without text or attachments, naming the field', async () => {
    const { say } = setup();
    const error = await say('   ').catch((caught: unknown) => caught);
    expect(InputError.isInstance(error)).toBe(true);
    expect((error as InputError).message).toContain('message.text');
  });

  it('reports a failing bot as a BotError and records nothing', async () => {
    const failing: BotConnector = {
      respond: async () => {
        throw new Error('bot down');
      },
    };
    const { engine, say, user } = setup({ bot: failing });
    const error = await say('hello', 'm1').catch((caught: unknown) => caught);
    expect(BotError.isInstance(error) && error.code).toBe('bot_failed');
    expect(await engine.getSession(user)).toBeUndefined();
  });

  it('reports an unusable bot answer as bot_invalid_response, naming the field', async () => {
    const broken = { respond: async () => ({ replies: [{ text: 42 }] }) } as unknown as BotConnector;
    const { say } = setup({ bot: broken });
    const error = await say('hello').catch((caught: unknown) => caught);
    expect(BotError.isInstance(error) && error.code).toBe('bot_invalid_response');
    expect((error as Error).message).toContain('replies.0.text');
  });
});

describe('handoff engine: handoff', () => {
  it('routes by the unfinished skill and makes exactly the handoff calls', async () => {
    const { engine, support, say, user } = setup();
    await say('hello', 'm1');
    await say('refund', 'm2');
    const turn = await say('human', 'm3');
    expect(turn.mode).toBe('human');
    expect(turn.replies.map((reply) => reply.text)).toEqual([
      'Let me find a person.',
      'Connecting you with Billing. A person will answer here shortly.',
    ]);
    await engine.drain();

    expect(support.operations()).toEqual(['ensureUser', 'openConversation', 'postMessages', 'transfer']);
    const [ensure] = support.callsOf('ensureUser');
    expect(ensure?.options.user.id).toBe('user-1');
    const [open] = support.callsOf('openConversation');
    const session = await engine.getSession(user);
    expect(open?.options).toMatchObject({
      supportUserId: 'user-1',
      sessionId: session?.sessionId,
      recover: false,
    });
    const [post] = support.callsOf('postMessages');
    expect(post?.options.conversationId).toBe('conversation-1');
    expect(post?.options.messages.map((message) => [message.author, message.text])).toEqual([
      ['user', 'hello'],
      ['bot', 'echo: hello'],
      ['user', 'refund'],
      ['bot', 'Which order?'],
      ['user', 'human'],
      ['bot', 'Let me find a person.'],
    ]);
    expect(post?.options.messages.map((message) => message.id)).toEqual([
      'm1',
      'm1:reply:0',
      'm2',
      'm2:reply:0',
      'm3',
      'm3:reply:0',
    ]);
    const [transfer] = support.callsOf('transfer');
    expect(transfer?.options.team).toBe('2');
    expect(transfer?.options.note).toContain('Matched skill: me.test.shop.Refund');
    expect(transfer?.options.note).toContain('Unfinished skills: me.test.shop.Refund');
    expect(transfer?.options.note).toContain(
      'unfinished skill me.test.shop.Refund matched skill me.test.shop.Refund',
    );
    expect(transfer?.options.note).toContain('Reason given: the user asked for a human');
    expect(session?.conversation).toMatchObject({
      conversationId: 'conversation-1',
      team: '2',
      transferred: true,
    });
    expect(session?.transcript).toEqual([]);
  });

  it('goes to the team the bot names (static transfer)', async () => {
    const { engine, support, say } = setup();
    await say('refund');
    await say('human orders');
    await engine.drain();
    expect(support.callsOf('transfer')[0]?.options.team).toBe('3');
  });

  it('goes to the default team when no skill matches', async () => {
    const { engine, support, say } = setup();
    const turn = await say('human');
    await engine.drain();
    expect(support.callsOf('transfer')[0]?.options.team).toBe('1');
    expect(turn.replies.at(-1)?.text).toBe('Connecting you with General. A person will answer here shortly.');
  });

  it('sends user messages to the human and no longer asks the bot', async () => {
    const { engine, support, bot, say } = setup();
    await say('human');
    await engine.drain();
    support.reset();
    const requestsBefore = bot.requests.length;
    const turn = await say('my invoice is wrong', 'm9');
    await engine.drain();
    expect(turn).toMatchObject({ mode: 'human', replies: [] });
    expect(bot.requests).toHaveLength(requestsBefore);
    expect(support.operations()).toEqual(['postMessages']);
    expect(support.callsOf('postMessages')[0]?.options.messages).toMatchObject([
      { id: 'm9', author: 'user', text: 'my invoice is wrong' },
    ]);
  });

  it('asks for a topic when there is no unfinished skill, then routes by the answer', async () => {
    const { engine, support, say, user } = setup({ ask: true });
    const asked = await say('human');
    expect(asked.mode).toBe('choosing-team');
    expect(asked.replies.at(-1)?.text).toBe('Which team can help you? 1. Billing, 2. Orders, 3. General');
    await engine.drain();
    expect(support.calls).toEqual([]);

    const answered = await say('orders');
    expect(answered.mode).toBe('human');
    await engine.drain();
    expect(support.callsOf('transfer')[0]?.options).toMatchObject({ team: '3' });
    expect(support.callsOf('transfer')[0]?.options.note).toContain('the user chose the topic Orders');
    const posted = support.callsOf('postMessages')[0]?.options.messages.map((message) => message.text);
    expect(posted).toEqual(['human', 'Let me find a person.', 'orders']);
    expect((await engine.getSession(user))?.mode).toBe('human');
  });

  it('asks again once for an answer naming no topic, then uses the default team', async () => {
    const { engine, support, say } = setup({ ask: true });
    await say('human');
    const retry = await say('pizza');
    expect(retry.mode).toBe('choosing-team');
    expect(retry.replies[0]?.text).toBe(
      'Sorry, I did not get that. Please answer with one of: 1. Billing, 2. Orders, 3. General',
    );
    const fallback = await say('still pizza');
    expect(fallback.mode).toBe('human');
    await engine.drain();
    expect(support.callsOf('transfer')[0]?.options.team).toBe('1');
    expect(support.callsOf('transfer')[0]?.options.note).toContain('the user named no topic in 2 answers');
  });

  it('starts a handoff the host asks for outside a bot turn', async () => {
    const { engine, support, say, user } = setup();
    await say('refund');
    const result = await engine.requestHandoff({ ...user, reason: 'sentiment dropped' });
    expect(result.mode).toBe('human');
    await engine.drain();
    expect(support.callsOf('transfer')[0]?.options).toMatchObject({ team: '2' });
    expect(support.callsOf('transfer')[0]?.options.note).toContain('Reason given: sentiment dropped');
  });
});

describe('handoff engine: the first message with the conversation', () => {
  it('leaves out of the transcript post the message the system created the conversation with', async () => {
    const { engine, support, say } = setup();
    const open = support.adapter.openConversation.bind(support.adapter);
    support.adapter.openConversation = async (options) => ({
      ...(await open(options)),
      postedFirstMessage: true,
    });
    await say('hello');
    await say('human');
    await engine.drain();
    const [opened] = support.callsOf('openConversation');
    expect(opened?.options.firstMessage).toMatchObject({ author: 'user', text: 'hello' });
    const posted = support
      .callsOf('postMessages')
      .flatMap((call) => call.options.messages.map((message) => message.text));
    expect(posted).toEqual(['echo: hello', 'human', 'Let me find a person.']);
  });

  it('posts it with the rest when the system did not, and looks first in a conversation found again', async () => {
    const { engine, support, say } = setup();
    const open = support.adapter.openConversation.bind(support.adapter);
    support.adapter.openConversation = async (options) => ({ ...(await open(options)), recovered: true });
    await say('hello');
    await say('human');
    await engine.drain();
    const [post] = support.callsOf('postMessages');
    expect(post?.options.messages.map((message) => message.text)).toEqual([
      'hello',
      'echo: hello',
      'human',
      'Let me find a person.',
    ]);
    expect(post?.options.recover).toBe(true);
  });
});

describe('handoff engine: the human holds the session', () => {
  it('relays agent messages and typing to the channel', async () => {
    const { engine, channel, say, agentSays, conversationId } = setup();
    await say('human');
    await engine.drain();
    await engine.applyEvents([
      {
        type: 'agent.typing',
        id: 't1',
        conversationId: await conversationId(),
        typing: true,
        agent: { name: 'Anna' },
      },
    ]);
    await agentSays('Hi, I am Anna');
    await engine.drain();
    expect(channel.typings).toEqual([
      { channelId: 'web', userId: 'user-1', typing: true, agent: { name: 'Anna' } },
    ]);
    expect(channel.deliveries.map((delivery) => [delivery.message.kind, delivery.message.text])).toEqual([
      ['agent', 'Hi, I am Anna'],
    ]);
    expect(channel.deliveries[0]?.message.agent).toEqual({ id: '7', name: 'Anna' });
  });

  it('delivers a repeated agent message once', async () => {
    const { engine, channel, say, agentSays } = setup();
    await say('human');
    await engine.drain();
    await agentSays('Hello', 'same-id');
    await agentSays('Hello', 'same-id');
    await engine.drain();
    expect(channel.texts()).toEqual(['Hello']);
  });

  it('tells the user when an agent joins', async () => {
    const { engine, channel, say, conversationId } = setup();
    await say('human');
    await engine.drain();
    await engine.applyEvents([
      {
        type: 'agent.assigned',
        id: 'a1',
        conversationId: await conversationId(),
        agent: { id: '7', name: 'Anna' },
      },
    ]);
    await engine.drain();
    expect(channel.texts()).toEqual(['Anna joined the conversation.']);
  });

  it('returns to the bot when the agent resolves, telling the bot why and what the agent said last', async () => {
    const { engine, channel, bot, say, agentSays, agentResolves, user } = setup();
    await say('human');
    await engine.drain();
    const before = await engine.getSession(user);
    await agentSays('Your refund is on its way.');
    await agentResolves();
    await engine.drain();
    expect(channel.texts()).toEqual([
      'Your refund is on its way.',
      'The agent closed the conversation. You are talking to the bot again.',
    ]);
    const after = await engine.getSession(user);
    expect(after?.mode).toBe('bot');
    expect(after?.sessionId).not.toBe(before?.sessionId);

    const turn = await say('thanks');
    expect(turn).toMatchObject({ mode: 'bot', replies: [{ text: 'echo: thanks' }] });
    expect(bot.requests.at(-1)?.returned).toMatchObject({
      reason: 'agent_closed',
      lastAgentMessage: 'Your refund is on its way.',
    });
    expect(bot.requests.at(-1)?.session.sessionId).toBe(after?.sessionId);
    await say('again');
    expect(bot.requests.at(-1)?.returned).toBeUndefined();
  });

  it('opens a new conversation at the next handoff after a close, without looking the user up again', async () => {
    const { engine, support, say, agentResolves, user } = setup();
    await say('human');
    await engine.drain();
    await agentResolves();
    await say('back again');
    await say('human');
    await engine.drain();
    expect(support.operations()).toEqual([
      'ensureUser',
      'openConversation',
      'postMessages',
      'transfer',
      'openConversation',
      'postMessages',
      'transfer',
    ]);
    const opens = support.callsOf('openConversation');
    expect(opens[0]?.options.handoffId).not.toBe(opens[1]?.options.handoffId);
    expect(opens[1]?.options.supportUserId).toBe('user-1');
    expect((await engine.getSession(user))?.conversation?.conversationId).toBe('conversation-2');
    const secondTranscript = support
      .callsOf('postMessages')[1]
      ?.options.messages.map((message) => message.text);
    expect(secondTranscript).toEqual(['back again', 'echo: back again', 'human', 'Let me find a person.']);
  });

  it("still relays an agent's last reply whose webhook came after the close, once", async () => {
    const { engine, channel, say, agentResolves, conversationId } = setup();
    await say('human');
    await engine.drain();
    const old = await conversationId();
    await agentResolves();
    const late: SupportEvent = {
      type: 'agent.message',
      id: 'message:late',
      conversationId: old,
      occurredAt: new Date(Date.now() - 1_000).toISOString(),
      message: { id: 'late', text: 'One last thing: your refund is on its way' },
      agent: { name: 'Anna' },
    };
    await engine.applyEvents([late]);
    await engine.applyEvents([late]);
    await engine.drain();
    expect(
      channel.texts().filter((text) => text === 'One last thing: your refund is on its way'),
    ).toHaveLength(1);
    expect((await engine.getSession({ channelId: 'web', userId: 'user-1' }))?.mode).toBe('bot');
  });

  it('does not relay what an agent wrote after the close, nor events of an older conversation', async () => {
    const { engine, channel, telemetry, say, agentResolves, conversationId } = setup();
    await say('human');
    await engine.drain();
    const first = await conversationId();
    await agentResolves();
    await engine.applyEvents([
      {
        type: 'agent.message',
        id: 'message:reopened',
        conversationId: first,
        occurredAt: new Date(Date.now() + 10 * 60_000).toISOString(),
        message: { id: 'reopened', text: 'written after a reopen' },
        agent: {},
      },
    ]);
    await say('human');
    await engine.drain();
    const second = await conversationId();
    await engine.applyEvents([
      { type: 'conversation.closed', id: `closed:${second}`, conversationId: second, closedBy: 'agent' },
    ]);
    await engine.applyEvents([
      {
        type: 'agent.message',
        id: 'message:ancient',
        conversationId: first,
        message: { id: 'ancient', text: 'ancient' },
        agent: {},
      },
    ]);
    await engine.drain();
    expect(channel.texts()).not.toContain('written after a reopen');
    expect(channel.texts()).not.toContain('ancient');
    expect(telemetry).toContainEqual({
      type: 'event.unmatched',
      eventType: 'agent.message',
      conversationId: first,
    });
  });

  it("relays an unordered system's agent messages in the system's order, not their webhooks'", async () => {
    const { engine, channel, say, conversationId } = setup({
      capabilities: { orderedWebhooks: false },
      engine: { reorderWindowMs: 40 },
    });
    await say('human');
    await engine.drain();
    const id = await conversationId();
    const reply = (n: number) => agentReplyAt(id, n);
    for (const n of [2, 3, 1]) await engine.applyEvents([reply(n)]);
    expect(channel.texts().filter((text) => text.startsWith('reply'))).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await engine.drain();
    expect(channel.texts().filter((text) => text.startsWith('reply'))).toEqual([
      'reply 1',
      'reply 2',
      'reply 3',
    ]);
  });

  it('reads the system back before sending held messages: a reply whose webhook was lost goes in its place', async () => {
    const { engine, support, channel, say, conversationId } = setup({
      capabilities: { orderedWebhooks: false, catchUp: true },
      engine: { reorderWindowMs: 30 },
    });
    await say('human');
    await engine.drain();
    const id = await conversationId();
    // REST answers give whole seconds, webhooks milliseconds: the order still holds.
    const reply = (n: number, at: string): SupportEvent => ({
      type: 'agent.message',
      id: `message:${n}`,
      conversationId: id,
      occurredAt: at,
      message: { id: String(n), text: `reply ${n}` },
      agent: { name: 'Anna' },
    });
    const afterIds: Array<string | undefined> = [];
    support.adapter.syncConversation = async ({ afterMessageId }) => {
      afterIds.push(afterMessageId);
      return { events: [reply(1, '2026-06-20T10:00:05.000Z'), reply(2, '2026-06-20T10:00:05.000Z')] };
    };
    // Only reply 2's webhook arrives; reply 1's never does.
    await engine.applyEvents([reply(2, '2026-06-20T10:00:05.800Z')]);
    await new Promise((resolve) => setTimeout(resolve, 90));
    await engine.drain();
    expect(channel.texts().filter((text) => text.startsWith('reply'))).toEqual(['reply 1', 'reply 2']);
    expect(afterIds).toEqual([undefined]);
    await engine.applyEvents([reply(3, '2026-06-20T10:00:06.100Z')]);
    await new Promise((resolve) => setTimeout(resolve, 90));
    await engine.drain();
    expect(afterIds).toEqual([undefined, '2']);
    expect(channel.texts().filter((text) => text.startsWith('reply'))).toEqual([
      'reply 1',
      'reply 2',
      'reply 3',
    ]);
  });

  it('sends every held message the read-back shows at the first release, and reads back once for them', async () => {
    const { engine, support, channel, say, conversationId } = setup({
      capabilities: { orderedWebhooks: false, catchUp: true },
      engine: { reorderWindowMs: 400 },
    });
    await say('human');
    await engine.drain();
    const id = await conversationId();
    const reply = (n: number) => agentReplyAt(id, n);
    let readBacks = 0;
    support.adapter.syncConversation = async () => {
      readBacks += 1;
      return { events: [reply(1), reply(2)] };
    };
    await engine.applyEvents([reply(1)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await engine.applyEvents([reply(2)]);
    const secondArrived = performance.now();
    const replies = () => channel.texts().filter((text) => text.startsWith('reply'));
    await vi.waitFor(() => expect(replies()).toEqual(['reply 1', 'reply 2']), {
      timeout: 2_000,
      interval: 5,
    });
    // Reply 2 went with reply 1's release, before its own 400 ms were up.
    expect(performance.now() - secondArrived).toBeLessThan(380);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await engine.drain();
    expect(readBacks).toBe(1);
    expect(replies()).toEqual(['reply 1', 'reply 2']);
  });

  it('sends held agent messages before the notice when the conversation closes in their wait', async () => {
    const { engine, channel, say, conversationId } = setup({
      capabilities: { orderedWebhooks: false },
      engine: { reorderWindowMs: 60_000 },
    });
    await say('human');
    await engine.drain();
    const id = await conversationId();
    for (const n of [2, 1]) {
      await engine.applyEvents([
        {
          type: 'agent.message',
          id: `message:${n}`,
          conversationId: id,
          message: { id: String(n), text: `reply ${n}` },
          agent: { name: 'Anna' },
        },
      ]);
    }
    await engine.applyEvents([
      { type: 'conversation.closed', id: `closed:${id}`, conversationId: id, closedBy: 'agent' },
    ]);
    await engine.drain();
    const texts = channel.texts();
    const notice =
      channel.deliveries.find((delivery) => delivery.message.notice === 'agentClosed')?.message.text ?? '';
    expect(texts.filter((text) => text.startsWith('reply') || text === notice)).toEqual([
      'reply 1',
      'reply 2',
      notice,
    ]);
  });

  it('reads back what the system has before a close, so the last reply comes before the notice', async () => {
    const { engine, support, channel, say, conversationId } = setup({ capabilities: { catchUp: true } });
    await say('human');
    await engine.drain();
    const id = await conversationId();
    const lastReply: SupportEvent = {
      type: 'agent.message',
      id: 'message:last',
      conversationId: id,
      message: { id: 'last', text: 'Your refund is approved' },
      agent: { name: 'Anna' },
    };
    const close: SupportEvent = {
      type: 'conversation.closed',
      id: `closed:${id}`,
      conversationId: id,
      closedBy: 'agent',
    };
    support.adapter.syncConversation = async () => ({ events: [lastReply, close] });
    // "resolved" arrives first, the reply's webhook after it.
    await engine.applyEvents([close]);
    await engine.applyEvents([lastReply]);
    // A catch-up that reads the same close again.
    await engine.applyEvents([close]);
    await engine.drain();
    const texts = channel.texts();
    expect(texts.filter((text) => text === 'Your refund is approved')).toHaveLength(1);
    const notices = channel.deliveries
      .map((delivery) => delivery.message)
      .filter((message) => message.notice === 'agentClosed');
    expect(notices).toHaveLength(1);
    expect(texts.indexOf('Your refund is approved')).toBeLessThan(texts.indexOf(notices[0]?.text ?? ''));
  });

  it('closes anyway when the system cannot be read before the close', async () => {
    const { engine, support, channel, telemetry, say, conversationId } = setup({
      capabilities: { catchUp: true },
    });
    await say('human');
    await engine.drain();
    const id = await conversationId();
    support.adapter.syncConversation = async () => {
      throw supportError('unavailable');
    };
    await engine.applyEvents([
      { type: 'conversation.closed', id: `closed:${id}`, conversationId: id, closedBy: 'agent' },
    ]);
    await engine.drain();
    expect((await engine.getSession({ channelId: 'web', userId: 'user-1' }))?.mode).toBe('bot');
    expect(
      channel.deliveries
        .map((delivery) => delivery.message)
        .some((message) => message.notice === 'agentClosed'),
    ).toBe(true);
    expect(telemetry).toContainEqual({ type: 'catch-up.failed', conversationId: id, error: 'unavailable' });
  });

  it('lets the user go back to the bot: note, close, bot again', async () => {
    const { engine, support, say, user } = setup();
    await say('human');
    await engine.drain();
    support.reset();
    const turn = await say('back to bot');
    expect(turn).toMatchObject({
      mode: 'bot',
      replies: [{ kind: 'notice', text: 'You are talking to the bot again.' }],
    });
    await engine.drain();
    expect(support.operations()).toEqual(['postMessages', 'closeSession']);
    expect(support.callsOf('closeSession')[0]?.options).toEqual({
      conversationId: 'conversation-1',
      note: 'The user went back to the bot.',
    });
    expect((await engine.getSession(user))?.returned?.reason).toBe('user_cancelled');
  });

  it('closes the session on request, and the next handoff opens a new conversation', async () => {
    const { engine, support, say, user } = setup();
    await say('human');
    await engine.drain();
    const closed = await engine.closeSession({ ...user, note: 'closed by the bot platform' });
    expect(closed.mode).toBe('bot');
    await say('human');
    await engine.drain();
    expect(support.operations()).toEqual([
      'ensureUser',
      'openConversation',
      'postMessages',
      'transfer',
      'closeSession',
      'openConversation',
      'postMessages',
      'transfer',
    ]);
  });
});

describe('handoff engine: a storage that outlives its support integration', () => {
  it('looks the user up again in another integration, and not again in the same one', async () => {
    const storage = createInMemoryStorage();
    const handOffAndClose = async (supportIntegration: string) => {
      const { engine, support, say, user } = setup({ storage, engine: { supportIntegration } });
      await say('human');
      await engine.drain();
      await engine.closeSession(user);
      await engine.drain();
      await engine.stop();
      return support.operations().filter((operation) => operation === 'ensureUser').length;
    };
    expect(await handOffAndClose('system-a')).toBe(1);
    expect(await handOffAndClose('system-a')).toBe(0);
    // The id remembered from system-a means nothing in system-b (or someone else there).
    expect(await handOffAndClose('system-b')).toBe(1);
    expect(await handOffAndClose('system-b')).toBe(0);
    expect(await handOffAndClose('system-a')).toBe(1);
  });
});

describe('handoff engine: continuous transcript mode', () => {
  it('mirrors every turn as it happens and only transfers at handoff', async () => {
    const { engine, support, say } = setup({ mode: 'continuous' });
    await say('hello', 'm1');
    await engine.drain();
    expect(support.operations()).toEqual(['ensureUser', 'openConversation', 'postMessages']);
    expect(support.callsOf('postMessages')[0]?.options.messages.map((message) => message.text)).toEqual([
      'hello',
      'echo: hello',
    ]);
    await say('refund', 'm2');
    await engine.drain();
    expect(support.operations()).toEqual(['ensureUser', 'openConversation', 'postMessages', 'postMessages']);
    await say('human', 'm3');
    await engine.drain();
    expect(support.operations()).toEqual([
      'ensureUser',
      'openConversation',
      'postMessages',
      'postMessages',
      'postMessages',
      'transfer',
    ]);
    expect(support.callsOf('transfer')[0]?.options).toMatchObject({
      conversationId: 'conversation-1',
      team: '2',
    });
  });

  it('mirrors into a new conversation after the mirrored one was closed', async () => {
    const { engine, support, say, agentResolves } = setup({ mode: 'continuous' });
    await say('hello');
    await engine.drain();
    await agentResolves();
    await say('again');
    await engine.drain();
    expect(support.callsOf('openConversation')).toHaveLength(2);
    expect(support.callsOf('postMessages')[1]?.options.conversationId).toBe('conversation-2');
  });
});

describe('handoff engine: concurrency', () => {
  it('keeps both of two concurrent messages on one session, in order', async () => {
    const { engine, say, user } = setup({ botDelayMs: 20 });
    await Promise.all([say('first', 'a'), say('second', 'b')]);
    const texts = (await engine.getSession(user))?.transcript.map((message) => message.text);
    expect(texts).toEqual(['first', 'echo: first', 'second', 'echo: second']);
  });

  it('loses no update when two engines (two instances) write the same session at once', async () => {
    const shared = createInMemoryStorage();
    // Instance two reads the session (t=50) just before instance one writes it (t=60), and writes
    // after that: it must lose the compare-and-set and re-apply its turn on top of one's.
    const one = setup({ storage: createSlowStorage(shared, { readMs: 0, writeMs: 10 }), botDelayMs: 50 });
    const two = setup({ storage: createSlowStorage(shared, { readMs: 40, writeMs: 5 }), botDelayMs: 10 });
    await one.say('warm up', 'w');
    await Promise.all([one.say('from one', 'a'), two.say('from two', 'b')]);
    const session = await one.engine.getSession(one.user);
    const texts = session?.transcript.map((message) => message.text) ?? [];
    expect(texts).toHaveLength(6);
    expect(texts).toEqual(
      expect.arrayContaining(['from one', 'echo: from one', 'from two', 'echo: from two']),
    );
    expect([...(session?.recentMessageIds ?? [])].sort()).toEqual(['a', 'b', 'w']);
  });
});

describe('handoff engine: failures', () => {
  it('retries retryable failures, honouring the order of the conversation', async () => {
    const { engine, support, say } = setup();
    support.failNext(
      'postMessages',
      supportError('rate_limited', { retryAfterMs: 5 }),
      supportError('unavailable'),
    );
    await say('refund');
    await say('human');
    await engine.drain();
    expect(support.operations()).toEqual([
      'ensureUser',
      'openConversation',
      'postMessages',
      'postMessages',
      'postMessages',
      'transfer',
    ]);
  });

  it('gives the session back to the bot and tells the user when the transfer cannot be made', async () => {
    const { engine, support, channel, telemetry, say, user } = setup();
    support.failNext('transfer', supportError('unauthorized'));
    await say('human');
    await engine.drain();
    expect((await engine.getSession(user))?.mode).toBe('bot');
    expect(channel.texts()).toEqual([
      'Sorry, we could not reach General right now. You are talking to the bot again.',
    ]);
    expect(
      telemetry.some((event) => event.type === 'delivery.parked' && event.kind === 'support.transfer'),
    ).toBe(true);
    const parked = await engine.outbox.listParked();
    expect(parked.map((item) => [item.kind, item.reason])).toEqual([
      ['support.transfer', 'unauthorized: scripted unauthorized'],
    ]);
    expect((await engine.getSession(user))?.returned?.reason).toBe('handoff_failed');
  });

  it('looks the user up again when the remembered support user is gone', async () => {
    const { engine, support, say, agentResolves } = setup();
    await say('human');
    await engine.drain();
    await agentResolves();
    support.reset();
    support.failNext('openConversation', supportError('not_found'));
    await say('human');
    await engine.drain();
    expect(support.operations()).toEqual([
      'openConversation',
      'ensureUser',
      'openConversation',
      'postMessages',
      'transfer',
    ]);
    expect(support.callsOf('openConversation')[1]?.options).toMatchObject({
      supportUserId: 'user-2',
      recover: true,
    });
  });

  it('retries a failing channel delivery until it arrives', async () => {
    const { engine, channel, say, agentSays } = setup();
    await say('human');
    await engine.drain();
    channel.failNext(new Error('callback down'), new Error('callback down'));
    await agentSays('Hello there');
    await engine.drain();
    expect(channel.texts()).toEqual(['Hello there']);
  });
});

describe('handoff engine: webhooks', () => {
  it('applies verified webhook events', async () => {
    const { engine, channel, say, conversationId } = setup();
    await say('human');
    await engine.drain();
    const events: SupportEvent[] = [
      {
        type: 'agent.message',
        id: 'e1',
        conversationId: await conversationId(),
        message: { id: 'x1', text: 'From the webhook' },
        agent: { name: 'Anna' },
      },
    ];
    const result = await engine.handleWebhook({ headers: {}, body: JSON.stringify(events) });
    await engine.drain();
    expect(result.events).toHaveLength(1);
    expect(channel.texts()).toEqual(['From the webhook']);
  });

  it('passes verification failures through and applies nothing', async () => {
    const { engine, channel, say, conversationId } = setup();
    await say('human');
    await engine.drain();
    const body = JSON.stringify([
      { type: 'conversation.closed', id: 'c', conversationId: await conversationId() },
    ] satisfies SupportEvent[]);
    const error = await engine
      .handleWebhook({ headers: { 'x-test-signature': 'bad' }, body })
      .catch((caught: unknown) => caught);
    expect(WebhookVerificationError.isInstance(error)).toBe(true);
    await engine.drain();
    expect(channel.deliveries).toEqual([]);
  });
});

describe('handoff engine: deferred webhooks', () => {
  it('stores verified events before answering, then applies them in order per conversation', async () => {
    const { engine, channel, say, conversationId } = setup();
    await say('human');
    await engine.drain();
    const id = await conversationId();
    const events: SupportEvent[] = [
      {
        type: 'agent.message',
        id: 'm1',
        conversationId: id,
        message: { id: 'm1', text: 'first' },
        agent: {},
      },
      {
        type: 'agent.message',
        id: 'm2',
        conversationId: id,
        message: { id: 'm2', text: 'second' },
        agent: {},
      },
      { type: 'conversation.closed', id: 'c', conversationId: id, closedBy: 'agent' },
    ];
    await engine.stop();
    const result = await engine.receiveWebhook({ headers: {}, body: JSON.stringify(events) });
    expect(result.events).toHaveLength(3);
    expect(await engine.outbox.counts()).toMatchObject({ pending: 1 });
    expect(channel.deliveries).toEqual([]);
    engine.start();
    await engine.drain();
    expect(channel.texts()).toEqual([
      'first',
      'second',
      'The agent closed the conversation. You are talking to the bot again.',
    ]);
  });
});

describe('handoff engine: catching up', () => {
  it('applies agent messages the webhooks never brought, and skips those already applied', async () => {
    const {
      engine,
      support,
      channel,
      say,
      conversationId: currentConversation,
    } = setup({
      capabilities: { catchUp: true },
    });
    let synced: SupportEvent[] = [];
    support.adapter.syncConversation = async () => ({ events: synced });
    await say('human');
    await engine.drain();
    const conversationId = await currentConversation();
    const reply = (id: string, text: string): SupportEvent => ({
      type: 'agent.message',
      id: `message:${id}`,
      conversationId,
      message: { id, text },
      agent: {},
    });
    await engine.applyEvents([reply('2', 'arrived by webhook')]);
    synced = [reply('1', 'lost webhook'), reply('2', 'arrived by webhook'), reply('3', 'also lost')];
    expect(await engine.catchUp()).toEqual({ conversations: 1, events: 3, failed: 0 });
    await engine.drain();
    expect(channel.texts()).toEqual(['arrived by webhook', 'lost webhook', 'also lost']);
    expect(await engine.catchUp()).toMatchObject({ conversations: 1 });
    await engine.drain();
    expect(channel.texts()).toHaveLength(3);
  });

  it('reads back a conversation closed lately: a reply written before the close whose webhook was lost reaches the user', async () => {
    const {
      engine,
      support,
      channel,
      say,
      conversationId: currentConversation,
    } = setup({
      capabilities: { catchUp: true },
    });
    let synced: SupportEvent[] = [];
    let reachable = true;
    support.adapter.syncConversation = async () => {
      if (!reachable) throw new SupportError({ code: 'unavailable', message: 'down for a moment' });
      return { events: synced };
    };
    await say('human');
    await engine.drain();
    const conversationId = await currentConversation();
    const closedAt = new Date();
    const reply: SupportEvent = {
      type: 'agent.message',
      id: 'message:7',
      conversationId,
      occurredAt: new Date(closedAt.getTime() - 1_000).toISOString(),
      message: { id: '7', text: 'my last words before closing' },
      agent: {},
    };
    // The reply's webhook is lost; the close arrives while the system cannot be read back.
    reachable = false;
    await engine.applyEvents([
      {
        type: 'conversation.closed',
        id: `closed:${conversationId}`,
        conversationId,
        occurredAt: closedAt.toISOString(),
      },
    ]);
    await engine.drain();
    expect(channel.texts()).not.toContain('my last words before closing');
    reachable = true;
    synced = [reply, { type: 'conversation.closed', id: `closed:${conversationId}`, conversationId }];
    expect(await engine.catchUp()).toMatchObject({ conversations: 1, failed: 0 });
    await engine.drain();
    expect(channel.texts().filter((text) => text === 'my last words before closing')).toHaveLength(1);
    // Once only, and not for conversations closed longer ago than asked.
    await engine.catchUp();
    await engine.drain();
    expect(channel.texts().filter((text) => text === 'my last words before closing')).toHaveLength(1);
    expect(await engine.catchUp({ closedWithinMs: 0 })).toMatchObject({ conversations: 0 });
  });

  it('reads back, once its transfer is done, a conversation the catch-up found not transferred yet', async () => {
    const { engine, support, channel, say } = setup({
      capabilities: { catchUp: true },
      engine: { delivery: { backoff: { initialDelayMs: 150, random: () => 0.5 } } },
    });
    const synced: string[] = [];
    support.adapter.syncConversation = async ({ conversationId }) => {
      synced.push(conversationId);
      return {
        events: [
          {
            type: 'agent.message',
            id: 'message:1',
            conversationId,
            message: { id: '1', text: 'written while the transfer waited' },
            agent: {},
          },
        ],
      };
    };
    // The transfer fails once: a restart between opening and transferring looks the same.
    support.failNext('transfer', new SupportError({ code: 'unavailable', message: 'down for a moment' }));
    await say('human');
    await vi.waitFor(() => expect(support.callsOf('transfer')).toHaveLength(1), { timeout: 2_000 });
    // Not read back now: a conversation not yet transferred would read as closed.
    expect(await engine.catchUp()).toMatchObject({ conversations: 0 });
    expect(synced).toEqual([]);
    await vi.waitFor(() => expect(support.callsOf('transfer')).toHaveLength(2), { timeout: 2_000 });
    await engine.drain();
    expect(synced).toHaveLength(1);
    expect(channel.texts()).toContain('written while the transfer waited');
    // Once: a later transfer of the session reads nothing back.
    await engine.catchUp();
    await engine.drain();
    expect(channel.texts().filter((text) => text === 'written while the transfer waited')).toHaveLength(1);
  });

  it('does nothing for adapters that cannot catch up', async () => {
    const { engine, say } = setup();
    await say('human');
    await engine.drain();
    expect(await engine.catchUp()).toEqual({ conversations: 0, events: 0, failed: 0 });
  });
});

describe('handoff engine: duplicate agent messages', () => {
  it('delivers an agent message once even when the outbox no longer remembers delivering it', async () => {
    const outbox = createInMemoryOutbox({ rememberDelivered: 0 });
    const storage = { outbox, sessions: createInMemorySessionStore({ outbox }) };
    const { engine, channel, say, agentSays } = setup({ storage });
    await say('human');
    await engine.drain();
    await agentSays('Only once, please', 'm-77');
    await engine.drain();
    await agentSays('Only once, please', 'm-77');
    await engine.drain();
    expect(channel.texts()).toEqual(['Only once, please']);
  });
});

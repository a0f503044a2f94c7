// Deliveries parked for good: who is told, once, and told again when a retry gets it through.

import { afterEach, describe, expect, it } from 'vitest';
import type { ParkedOutboxItem } from '../src/contract/outbox.js';
import { createInMemoryOutbox } from '../src/delivery/in-memory-outbox.js';
import { PermanentDeliveryFailure } from '../src/delivery/outbox-worker.js';
import type { HandoffEngine } from '../src/engine/handoff-engine.js';
import { createInMemorySessionStore } from '../src/session/in-memory-session-store.js';
import { createInMemoryStorage } from '../src/session/in-memory-storage.js';
import { setupEngine as setup, stopTestEngines } from './support/engine-test-setup.js';
import { supportError } from './support/scripted-support.js';

afterEach(stopTestEngines);

type Setup = ReturnType<typeof setup>;

/** The test setup's backoff, for tests that replace its delivery settings. */
const fastBackoff = { initialDelayMs: 1, maxDelayMs: 5 };

const noticesOf = (channel: Setup['channel'], code: string) =>
  channel.deliveries
    .filter((delivery) => delivery.message.notice === code)
    .map((delivery) => delivery.message);

/** Posts that carried the message `id`, and whether each was a retry that looks first (`recover`). */
const postsOf = (support: Setup['support'], id: string) =>
  support
    .callsOf('postMessages')
    .filter((call) => call.options.messages.some((message) => message.id === id))
    .map((call) => ({ recover: call.options.recover }));

const notesIn = (support: Setup['support']) =>
  support
    .callsOf('postMessages')
    .flatMap((call) => call.options.messages.filter((message) => message.author === 'note'))
    .map((message) => message.text);

async function parkedOne(engine: HandoffEngine, kind: string): Promise<ParkedOutboxItem> {
  const parked = (await engine.outbox.listParked()).filter((item) => item.kind === kind);
  expect(parked).toHaveLength(1);
  return parked[0] as ParkedOutboxItem;
}

async function retryParked(engine: HandoffEngine, id: string) {
  expect(await engine.outbox.requeue(id)).toBe(true);
  engine.wake();
  await engine.drain();
}

/** A session a human of Billing holds, on conversation-1. */
async function withBilling(options: Parameters<typeof setup>[0] = {}) {
  const test = setup(options);
  await test.say('refund', 'm1');
  await test.say('human', 'm2');
  await test.engine.drain();
  return test;
}

describe('undeliverable: a message of the user the support system refuses for good', () => {
  it('tells the user once, naming the team and the message, and leaves it parked for the operator', async () => {
    const { engine, support, channel, telemetry, say } = await withBilling();
    support.failNext('postMessages', supportError('invalid_request'));
    await say('My order is A-17', 'u1');
    await engine.drain();

    const parked = await parkedOne(engine, 'support.post');
    expect(parked.reason).toBe('invalid_request: scripted invalid_request');
    expect(noticesOf(channel, 'deliveryFailed')).toMatchObject([
      {
        kind: 'notice',
        id: `delivery-failed:${parked.id}`,
        text: 'Sorry, your message "My order is A-17" could not reach Billing. Please send it again.',
      },
    ]);
    expect(telemetry).toContainEqual({
      type: 'delivery.parked',
      kind: 'support.post',
      id: parked.id,
      reason: 'invalid_request: scripted invalid_request',
    });
    // The session goes on: the next message reaches the agent.
    await say('Are you there?', 'u2');
    await engine.drain();
    expect(postsOf(support, 'u2')).toHaveLength(1);
    expect(noticesOf(channel, 'deliveryFailed')).toHaveLength(1);
  });

  it('tells the user once when the retries ran out, and names a file sent without text', async () => {
    const { engine, support, channel } = await withBilling({
      engine: { delivery: { maxAttempts: 3, backoff: fastBackoff } },
    });
    support.failNext('postMessages', ...[1, 2, 3].map(() => supportError('unavailable')));
    await engine.handleUserMessage({
      channelId: 'web',
      userId: 'user-1',
      message: {
        id: 'u1',
        text: '',
        attachments: [
          { url: 'https://files.test/receipt.pdf', contentType: 'application/pdf', name: 'receipt.pdf' },
        ],
      },
    });
    await engine.drain();

    const parked = await parkedOne(engine, 'support.post');
    expect(parked.reason).toBe('gave up after 3 attempts: unavailable: scripted unavailable');
    expect(postsOf(support, 'u1')).toHaveLength(3);
    expect(noticesOf(channel, 'deliveryFailed').map((notice) => notice.text)).toEqual([
      'Sorry, your message "receipt.pdf" could not reach Billing. Please send it again.',
    ]);
  });

  it('delivers it once when an operator retries it, and tells the user it went through, once', async () => {
    const { engine, support, channel, say } = await withBilling();
    support.failNext('postMessages', supportError('invalid_request'));
    await say('My order is A-17', 'u1');
    await engine.drain();
    const parked = await parkedOne(engine, 'support.post');

    await retryParked(engine, parked.id);
    expect(postsOf(support, 'u1')).toEqual([{ recover: false }, { recover: true }]);
    expect(await engine.outbox.listParked()).toEqual([]);
    expect(noticesOf(channel, 'deliveryFailed')).toHaveLength(1);
    expect(noticesOf(channel, 'deliveryRecovered')).toMatchObject([
      {
        id: `delivery-recovered:${parked.id}`,
        text: 'Your message "My order is A-17" reached Billing after all.',
      },
    ]);
    expect(
      (await engine.getSession({ channelId: 'web', userId: 'user-1' }))?.undeliveredItemIds,
    ).toBeUndefined();
  });

  it('tells nobody twice when a retry is refused again, and once more when one gets through', async () => {
    const { engine, support, channel, say } = await withBilling();
    support.failNext('postMessages', supportError('invalid_request'), supportError('invalid_request'));
    await say('My order is A-17', 'u1');
    await engine.drain();
    const parked = await parkedOne(engine, 'support.post');

    await retryParked(engine, parked.id);
    expect((await parkedOne(engine, 'support.post')).id).toBe(parked.id);
    expect(noticesOf(channel, 'deliveryFailed')).toHaveLength(1);
    expect(noticesOf(channel, 'deliveryRecovered')).toHaveLength(0);

    await retryParked(engine, parked.id);
    expect(postsOf(support, 'u1')).toHaveLength(3);
    expect(noticesOf(channel, 'deliveryFailed')).toHaveLength(1);
    expect(noticesOf(channel, 'deliveryRecovered')).toHaveLength(1);
  });

  it('tells nobody twice even after the outbox forgot the first notice (past its de-duplication window)', async () => {
    const outbox = createInMemoryOutbox({ rememberDelivered: 1 });
    const storage = { outbox, sessions: createInMemorySessionStore({ outbox }) };
    const { engine, support, channel, say } = await withBilling({ storage });
    support.failNext('postMessages', supportError('invalid_request'));
    await say('My order is A-17', 'u1');
    await engine.drain();
    const parked = await parkedOne(engine, 'support.post');
    // Other deliveries push the notice's id out of what the outbox remembers.
    await say('Hello?', 'u2');
    await engine.drain();

    support.failNext('postMessages', supportError('invalid_request'));
    await retryParked(engine, parked.id);
    await parkedOne(engine, 'support.post');
    expect(noticesOf(channel, 'deliveryFailed')).toHaveLength(1);
  });

  it('says nothing more when a retry finds the conversation gone (the message was still not delivered)', async () => {
    const { engine, support, channel, telemetry, say, agentResolves } = await withBilling();
    support.failNext('postMessages', supportError('invalid_request'));
    await say('My order is A-17', 'u1');
    await engine.drain();
    const parked = await parkedOne(engine, 'support.post');
    // Two conversations later, the session no longer knows the first one.
    await agentResolves();
    await say('human', 'm3');
    await engine.drain();
    await agentResolves();

    await retryParked(engine, parked.id);
    expect(postsOf(support, 'u1')).toHaveLength(1);
    expect(telemetry).toContainEqual({ type: 'delivery.stale', kind: 'support.post', key: 'web/user-1' });
    expect(noticesOf(channel, 'deliveryFailed')).toHaveLength(1);
    expect(noticesOf(channel, 'deliveryRecovered')).toHaveLength(0);
  });

  it('tells the user once across a restart between the park and the retry', async () => {
    const storage = createInMemoryStorage();
    const first = await withBilling({ storage });
    first.support.failNext('postMessages', supportError('invalid_request'));
    await first.say('My order is A-17', 'u1');
    await first.engine.drain();
    const parked = await parkedOne(first.engine, 'support.post');
    await first.engine.stop();

    const second = setup({ storage });
    await retryParked(second.engine, parked.id);
    expect(postsOf(second.support, 'u1')).toEqual([{ recover: true }]);
    expect(noticesOf(first.channel, 'deliveryFailed')).toHaveLength(1);
    expect(noticesOf(second.channel, 'deliveryFailed')).toHaveLength(0);
    expect(noticesOf(second.channel, 'deliveryRecovered')).toHaveLength(1);
  });

  it('has told the user when the park is stored but its answer is lost (as in a crash right after it)', async () => {
    const storage = createInMemoryStorage();
    const park = storage.outbox.park.bind(storage.outbox);
    storage.outbox.park = async (...args) => {
      await park(...args);
      throw new Error('connection lost');
    };
    const { engine, support, channel, say } = await withBilling({
      storage,
      engine: { delivery: { backoff: fastBackoff, onError: () => undefined } },
    });
    support.failNext('postMessages', supportError('invalid_request'));
    await say('My order is A-17', 'u1');
    await engine.drain();
    await parkedOne(engine, 'support.post');
    expect(noticesOf(channel, 'deliveryFailed')).toHaveLength(1);
  });

  it('tells the user once when the park itself failed after they were told (the item is tried again)', async () => {
    const storage = createInMemoryStorage();
    const park = storage.outbox.park.bind(storage.outbox);
    let parkFailures = 1;
    storage.outbox.park = async (...args) => {
      if (parkFailures > 0) {
        parkFailures -= 1;
        throw new Error('storage down');
      }
      return park(...args);
    };
    const { engine, support, channel, say } = await withBilling({
      storage,
      engine: { delivery: { leaseMs: 60, backoff: fastBackoff, onError: () => undefined } },
    });
    support.failNext('postMessages', supportError('invalid_request'), supportError('invalid_request'));
    await say('My order is A-17', 'u1');
    await engine.drain();

    await parkedOne(engine, 'support.post');
    expect(postsOf(support, 'u1')).toHaveLength(2);
    expect(noticesOf(channel, 'deliveryFailed')).toHaveLength(1);
  });

  it('names the first message of the bot conversation when the transcript cannot be posted', async () => {
    const test = setup();
    await test.say('refund', 'm1');
    test.support.failNext('postMessages', supportError('invalid_request'));
    await test.say('human', 'm2');
    await test.engine.drain();
    await parkedOne(test.engine, 'support.post');
    expect(test.support.operations()).toContain('transfer');
    expect(noticesOf(test.channel, 'deliveryFailed').map((notice) => notice.text)).toEqual([
      'Sorry, your message "refund" could not reach Billing. Please send it again.',
    ]);
  });

  it('tells the user nothing about a mirror of a bot turn (continuous mode): the bot answered it', async () => {
    const { engine, support, channel, say } = setup({ mode: 'continuous' });
    support.failNext('postMessages', supportError('invalid_request'));
    await say('hello', 'm1');
    await engine.drain();
    await parkedOne(engine, 'support.post');
    expect(channel.deliveries).toEqual([]);
  });

  it('tells the user of a handoff that failed to open with handoffFailed, not twice', async () => {
    const { engine, support, channel, say } = setup();
    support.failNext('openConversation', supportError('unauthorized'));
    await say('refund', 'm1');
    await say('human', 'm2');
    await engine.drain();
    await parkedOne(engine, 'support.open');
    expect(channel.deliveries.map((delivery) => delivery.message.notice)).toEqual(['handoffFailed']);
  });
});

describe('undeliverable: an agent message the user channel refuses for good', () => {
  const refusal = () => new PermanentDeliveryFailure('the callback channel.test answered HTTP 400');

  it('leaves the agent one private note in the conversation, and none for other messages', async () => {
    const { engine, support, channel, telemetry, agentSays } = await withBilling();
    support.reset();
    channel.failNext(refusal());
    await agentSays('Your refund is on its way');
    await agentSays('Anything else?');
    await engine.drain();

    const parked = await parkedOne(engine, 'channel.deliver');
    expect(channel.texts()).toEqual(['Anything else?']);
    const notes = support.callsOf('postMessages');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.options).toMatchObject({
      conversationId: 'conversation-1',
      messages: [
        {
          author: 'note',
          text: 'This message did not reach the user: "Your refund is on its way". Their channel refused it for good, so they may not have seen it; an operator can retry it.',
        },
      ],
    });
    expect(notes[0]?.options.messages[0]?.id.length).toBeLessThanOrEqual(200);
    expect(telemetry).toContainEqual({
      type: 'delivery.parked',
      kind: 'channel.deliver',
      id: parked.id,
      reason: 'the callback channel.test answered HTTP 400',
    });
  });

  it('delivers it once when an operator retries it, and tells the agent it arrived after all, once', async () => {
    const { engine, support, channel, agentSays } = await withBilling();
    support.reset();
    channel.failNext(refusal(), refusal());
    await agentSays('Your refund is on its way');
    await engine.drain();
    const parked = await parkedOne(engine, 'channel.deliver');

    await retryParked(engine, parked.id);
    expect(channel.texts()).toEqual([]);
    expect(notesIn(support)).toHaveLength(1);

    await retryParked(engine, parked.id);
    expect(channel.texts()).toEqual(['Your refund is on its way']);
    expect(notesIn(support)).toEqual([
      'This message did not reach the user: "Your refund is on its way". Their channel refused it for good, so they may not have seen it; an operator can retry it.',
      'This message reached the user after all: "Your refund is on its way".',
    ]);
  });

  it('still reaches the conversation the agent closed meanwhile', async () => {
    const { engine, support, channel, agentSays, agentResolves } = await withBilling();
    await engine.stop();
    support.reset();
    await agentSays('Your refund is on its way');
    await agentResolves();
    channel.failNext(refusal());
    engine.start();
    await engine.drain();
    await parkedOne(engine, 'channel.deliver');
    expect(support.callsOf('postMessages').map((call) => call.options.conversationId)).toEqual([
      'conversation-1',
    ]);
    expect(notesIn(support)).toHaveLength(1);
  });

  it('reports, logs and posts nothing when the session no longer knows the conversation', async () => {
    const { engine, support, channel, telemetry, say, agentSays, agentResolves } = await withBilling();
    await engine.stop();
    support.reset();
    await agentSays('Your refund is on its way');
    await agentResolves();
    // Another handoff, given back before it opened: conversation-1 is no longer the one closed last.
    await say('human', 'm3');
    await say('back to bot', 'm4');
    channel.failNext(refusal());
    engine.start();
    await engine.drain();

    const parked = await parkedOne(engine, 'channel.deliver');
    expect(notesIn(support)).toEqual([]);
    expect(telemetry).toContainEqual({
      type: 'delivery.unreported',
      kind: 'channel.deliver',
      id: parked.id,
      reason: 'no_conversation',
    });
  });
});

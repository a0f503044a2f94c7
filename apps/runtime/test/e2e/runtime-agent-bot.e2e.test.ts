import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ChatwootBotHostHarness,
  chatwootAgentBotSettingsFor,
  createChatwootBotHostHarness,
} from '@handoff/chatwoot/testing';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';
import { internalModeDriver } from '../support/support-system-loops.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A fake Chatwoot whose inbox has the agent bot attached, the bot's outgoing_url pointing at a
 * runtime configured as that agent bot (demo bot, the demo routing).
 */
async function setup(bot?: { url: string }) {
  const harness: ChatwootBotHostHarness = await createChatwootBotHostHarness({ botWebhookRetryDelayMs: 20 });
  cleanups.push(async () => harness.close?.());
  const started = await startRuntime({
    ...(bot === undefined ? {} : { bot: { type: 'http', url: bot.url, timeoutMs: 10_000 } }),
    agentBot: {
      type: 'chatwoot',
      name: 'chatwoot',
      chatwoot: { ...chatwootAgentBotSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
    },
  });
  cleanups.push(started.close);
  harness.fake.setAgentBot({ outgoingUrl: `${started.url}/v1/agent-bot/chatwoot/webhook`, attached: true });
  const engine = started.runtime.agentBotEngine;
  if (engine === undefined) throw new Error('the runtime has no agent-bot engine');
  const { settled, says, transcript } = internalModeDriver(harness, engine);
  return { harness, started, engine, settled, says, transcript };
}

describe('runtime as a Chatwoot agent bot (internal mode)', () => {
  it('answers, hands off to the routed team with the note, stays silent for the human, and answers again when handed back', async () => {
    const { harness, started, settled, says, transcript } = await setup();

    // A contact writes into the inbox; the bot answers through the bot token.
    const conversationId = await says('hello');
    expect(await transcript(conversationId)).toEqual([
      'user: hello',
      expect.stringMatching(/^bot: Hello! I can check an order status/),
    ]);
    expect((await harness.getConversation(conversationId))?.holder).toBe('bot');

    // The contact leaves a refund unfinished and asks for a human: routed to Billing (team 2).
    await says('I want a refund');
    await says('order A-1234');
    await says('let me talk to a human');
    const handedOff = await harness.getConversation(conversationId);
    expect(handedOff?.holder).toBe('human');
    expect(handedOff?.team).toEqual({ id: '2', name: 'billing' });
    expect(handedOff?.agentsNotified).toBe(true);
    expect(handedOff?.labels).toContain('bot-handoff');
    const note = handedOff?.messages.find((message) => message.private);
    expect(note?.text).toContain('Matched skill: demo.shop.Refund');
    expect(note?.text).toContain('orderNumber: A-1234');
    expect(note?.text).toContain('Reason given: the user asked for a person');
    expect(note?.text).toContain('Jane Doe');

    // An agent replies; the contact writes; the bot stays silent.
    await harness.agentTakes(conversationId);
    await harness.agentReply(conversationId, 'Hi Jane, Anna from Billing here.');
    const before = (await transcript(conversationId)).length;
    await says('thanks Anna');
    const during = await transcript(conversationId);
    expect(during).toHaveLength(before + 1);
    expect(during.at(-1)).toBe('user: thanks Anna');

    // The agent sets it back to pending: the bot answers again, with a fresh bot session.
    await harness.handBackToBot(conversationId);
    await settled();
    await says('where is my parcel');
    const after = await transcript(conversationId);
    expect(after.slice(-3)).toEqual([
      'user: where is my parcel',
      'bot: Welcome back, I am the bot again.',
      'bot: Sure. What is your order number?',
    ]);

    const metrics = await request(`${started.url}/metrics`);
    const text = await metrics.body.text();
    expect(text).toMatch(/handoff_agent_bot_turns_total\{outcome="silent"\} 1/);
    expect(text).toMatch(/handoff_agent_bot_turns_total\{outcome="returned"\} 1/);
  });

  it('answers again when the contact comes back to a resolved conversation', async () => {
    const { harness, settled, says, transcript } = await setup();
    const conversationId = await says('agent please');
    await harness.agentTakes(conversationId);
    await harness.resolve(conversationId);
    await settled();
    await says('hello again');
    expect((await harness.getConversation(conversationId))?.holder).toBe('bot');
    expect((await transcript(conversationId)).slice(-3)).toEqual([
      'user: hello again',
      'bot: Welcome back, I am the bot again.',
      expect.stringMatching(/^bot: Hello! I can check an order status/),
    ]);
  });

  it("takes the delivery Chatwoot sends again after a failed answer, so the conversation stays the bot's", async () => {
    const { harness, started, settled, says, transcript } = await setup();
    // A proxy in front of the runtime: the first attempt reaches the runtime, but its answer is
    // lost and Chatwoot sees 500; Chatwoot then tries again with the same X-Chatwoot-Delivery.
    const target = `${started.url}/v1/agent-bot/chatwoot/webhook`;
    let attempts = 0;
    const proxy = createServer(async (incoming, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const forwarded = await request(target, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries(incoming.headers).filter(
            ([name]) => name.startsWith('x-chatwoot') || name === 'content-type',
          ),
        ) as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      await forwarded.body.dump();
      attempts += 1;
      response.statusCode = attempts === 1 ? 500 : forwarded.statusCode;
      response.end();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => proxy.close(resolve)));
    harness.fake.setAgentBot({
      outgoingUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/bot`,
    });
    const conversationId = await says('hello');
    await settled();
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect((await harness.getConversation(conversationId))?.holder).toBe('bot');
    const answers = (await transcript(conversationId)).filter((line) =>
      line.startsWith('bot: Hello! I can check'),
    );
    expect(answers).toHaveLength(1);
  });

  it('refuses a bot webhook with a bad signature, and never answers it', async () => {
    const { harness, started } = await setup();
    const requests: string[] = [];
    const stop = harness.fake.subscribeBot((delivery) => {
      requests.push(delivery.body);
    });
    const written = await harness.contactWrites({ identifier: 'mallory' }, 'hello');
    stop();
    const response = await request(`${started.url}/v1/agent-bot/chatwoot/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-chatwoot-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-chatwoot-signature': `sha256=${'0'.repeat(64)}`,
      },
      body: requests[0],
    });
    expect(response.statusCode).toBe(401);
    expect(await response.body.json()).toMatchObject({ error: expect.any(String) });
    const unknown = await request(`${started.url}/v1/agent-bot/nobody/webhook`, {
      method: 'POST',
      body: '{}',
    });
    expect(unknown.statusCode).toBe(404);
    await unknown.body.dump();
    await eventually(async () => {
      expect((await harness.getConversation(written.conversationId))?.messages.at(-1)?.author).toBe('bot');
    });
  });

  it('acknowledges the webhook at once, however long the bot takes, so Chatwoot keeps the conversation pending', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowBot = createServer((incoming, response) => {
      incoming.resume();
      incoming.on('end', async () => {
        await held;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ replies: [{ text: 'Sorry for the wait.' }] }));
      });
    });
    await new Promise<void>((resolve) => slowBot.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => slowBot.close(resolve)));
    const { harness, engine, transcript } = await setup({
      url: `http://127.0.0.1:${(slowBot.address() as AddressInfo).port}/bot`,
    });
    // contactWrites waits until the fake delivered the bot webhook: the runtime answered it
    // while the bot still holds its answer.
    const { conversationId } = await harness.contactWrites({ identifier: 'patient' }, 'hello');
    expect((await harness.getConversation(conversationId))?.holder).toBe('bot');
    release();
    await engine.drain();
    expect((await transcript(conversationId)).at(-1)).toBe('bot: Sorry for the wait.');
    expect((await harness.getConversation(conversationId))?.holder).toBe('bot');
  });

  it('hands the contact to the default team when the bot fails', async () => {
    const brokenBot = createServer((incoming, response) => {
      incoming.resume();
      incoming.on('end', () => {
        response.statusCode = 500;
        response.end();
      });
    });
    await new Promise<void>((resolve) => brokenBot.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => brokenBot.close(resolve)));
    const { harness, says } = await setup({
      url: `http://127.0.0.1:${(brokenBot.address() as AddressInfo).port}/bot`,
    });
    const conversationId = await says('hello');
    const conversation = await harness.getConversation(conversationId);
    expect(conversation?.holder).toBe('human');
    expect(conversation?.team).toEqual({ id: '1', name: 'support' });
    expect(conversation?.messages.find((message) => message.private)?.text).toContain(
      'the bot could not answer (bot_failed)',
    );
  });
});

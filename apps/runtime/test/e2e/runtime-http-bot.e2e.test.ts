import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyTimestampedSignature } from '@handoff/http';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';

const secret = 'bot-secret-0123456789';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface BotCall {
  headers: IncomingHttpHeaders;
  body: {
    session: { channelId: string; userId: string; sessionId: string };
    message: { id: string; text: string };
    returned?: unknown;
  };
  signed: boolean;
}

/** A bot behind HTTP, answering by keyword the way the protocol in the runtime README says. */
async function startBot() {
  const calls: BotCall[] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      let signed = true;
      try {
        verifyTimestampedSignature({
          secret,
          body: raw,
          timestamp: request.headers['x-handoff-timestamp'] as string,
          signature: request.headers['x-handoff-signature'] as string,
        });
      } catch {
        signed = false;
      }
      const body = JSON.parse(raw) as BotCall['body'];
      calls.push({ headers: request.headers, body, signed });
      const text = body.message.text;
      const answer = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      if (text === 'slow') return void setTimeout(() => answer(200, { replies: [] }), 1_000);
      if (text === 'down') return answer(500, { error: 'crashed' });
      if (text === 'garbled') return answer(200, { replies: 'not a list' });
      if (text === 'refund')
        return answer(200, {
          replies: [{ text: 'Which invoice?' }],
          unfinishedSkills: ['acme.billing.Refund'],
        });
      if (text === 'human') {
        return answer(200, {
          replies: [{ text: 'A colleague will take over.' }],
          unfinishedSkills: [{ skill: 'acme.billing.Refund', slots: { invoice: 'INV-7', amount: 42.5 } }],
          handoff: { reason: 'the user asked for a person' },
        });
      }
      if (text === 'orders please') return answer(200, { replies: [], handoff: { team: 'Orders' } });
      return answer(200, { replies: [{ text: `You said: ${text}` }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bot`, calls };
}

async function setup() {
  const bot = await startBot();
  const started = await startRuntime({
    bot: { type: 'http', url: bot.url, timeoutMs: 300, secret },
    routing: {
      defaultTeam: { team: '1', label: 'Support' },
      teams: [
        { team: '2', label: 'Billing', skills: ['acme.billing.*'] },
        { team: '3', label: 'Orders', skills: [] },
      ],
    },
  });
  cleanups.push(started.close);
  const system = started.runtime.support.memory;
  if (system === undefined) throw new Error('expected the in-process support system');
  return { ...started, bot, system };
}

describe('runtime with an HTTP bot', () => {
  it('sends each message signed, in the documented shape, and relays the replies', async () => {
    const { user, bot } = await setup();
    const response = await user('web', 'alice').say('hello there', {
      id: 'client-1',
      profile: { name: 'Alice' },
    });
    expect(response.json).toMatchObject({
      mode: 'bot',
      replies: [{ kind: 'bot', text: 'You said: hello there' }],
    });
    expect(bot.calls).toHaveLength(1);
    const [call] = bot.calls;
    expect(call?.signed).toBe(true);
    expect(call?.headers['x-handoff-delivery']).toBe('client-1');
    expect(call?.body).toEqual({
      session: { channelId: 'web', userId: 'alice', sessionId: response.json.sessionId },
      message: { id: 'client-1', text: 'hello there' },
      profile: { name: 'Alice' },
    });
  });

  it("routes the bot's handoff by its unfinished skills, or to the team it names", async () => {
    const { user, system } = await setup();
    await user('web', 'alice').say('refund');
    const handoff = await user('web', 'alice').say('human');
    expect(handoff.json.replies?.map((reply) => reply.text)).toEqual([
      'A colleague will take over.',
      'Connecting you with Billing. A person will answer here shortly.',
    ]);
    const [conversation] = await eventually(() => {
      const open = system.listConversations({ teamId: '2', status: 'open' });
      expect(open).toHaveLength(1);
      return open;
    });
    const note = conversation?.messages.find((message) => message.author === 'note')?.text;
    expect(note).toContain('Unfinished skills: acme.billing.Refund (invoice: INV-7, amount: 42.5)');
    await user('web', 'bob').say('orders please');
    await eventually(() => expect(system.listConversations({ teamId: '3', status: 'open' })).toHaveLength(1));
  });

  it('tells the bot why it got the user back, once', async () => {
    const { user, system, bot } = await setup();
    await user('web', 'alice').say('human');
    const conversation = await eventually(() => {
      const [found] = system.listConversations({ status: 'open' });
      if (found === undefined) throw new Error('not yet');
      return found;
    });
    system.reply(conversation.id, { text: 'Sorted, have a nice day.' });
    system.note(conversation.id, { text: 'Refund of INV-7 approved; user may ask when it arrives.' });
    system.resolve(conversation.id);
    await eventually(async () => expect((await user('web', 'alice').session()).json.mode).toBe('bot'));
    await user('web', 'alice').say('hello again');
    await user('web', 'alice').say('and again');
    expect(bot.calls.at(-2)?.body.returned).toMatchObject({
      reason: 'agent_closed',
      lastAgentMessage: 'Sorted, have a nice day.',
      lastAgentNote: 'Refund of INV-7 approved; user may ask when it arrives.',
      // The human part, in the documented shape.
      transcript: [
        {
          author: 'agent',
          text: 'Sorted, have a nice day.',
          agentName: expect.any(String),
          createdAt: expect.any(String),
        },
        {
          author: 'note',
          text: 'Refund of INV-7 approved; user may ask when it arrives.',
          agentName: expect.any(String),
          createdAt: expect.any(String),
        },
      ],
    });
    expect(bot.calls.at(-1)?.body.returned).toBeUndefined();
  });

  const failures: Array<[string, string]> = [
    ['down', 'bot_failed'],
    ['slow', 'bot_failed'],
    ['garbled', 'bot_invalid_response'],
  ];
  for (const [text, code] of failures) {
    it(`answers 502 ${code} when the bot is ${text}, and records nothing`, async () => {
      const { user, runtime } = await setup();
      const response = await user('web', 'alice').say(text, { id: `m-${text}` });
      expect(response.status).toBe(502);
      expect(response.json.error).toBe(code);
      const session = await runtime.engine.getSession({ channelId: 'web', userId: 'alice' });
      expect(session?.recentMessageIds ?? []).not.toContain(`m-${text}`);
    });
  }
});

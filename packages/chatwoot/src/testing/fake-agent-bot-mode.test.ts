import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeChatwoot, type FakeChatwootSettings, startFakeChatwoot } from './fake-chatwoot-server.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: string;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A bot endpoint on 127.0.0.1 answering each POST with the next status of `statuses` (then 200). */
async function botEndpoint(statuses: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((incoming, response) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    incoming.on('end', () => {
      received.push({ headers: incoming.headers, body, event: String(JSON.parse(body).event) });
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bot`, received };
}

async function start(settings: FakeChatwootSettings): Promise<FakeChatwoot> {
  const fake = await startFakeChatwoot({ botWebhookRetryDelayMs: 5, ...settings });
  closers.push(() => fake.close());
  return fake;
}

async function call(fake: FakeChatwoot, path: string, token: string, body: unknown, method = 'POST') {
  const response = await request(`${fake.baseUrl}/api/v1/accounts/1${path}`, {
    method: method as 'POST',
    headers: { api_access_token: token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** A contact writes into a new conversation of the inbox (an integration of the API inbox). */
async function contactWrites(fake: FakeChatwoot, text: string, conversationId?: number) {
  let id = conversationId;
  if (id === undefined) {
    const contact = await call(fake, '/contacts', fake.tokens.admin, {
      inbox_id: fake.inboxId,
      identifier: `c-${Math.random()}`,
      name: 'Jane',
    });
    const contactId = (contact.json().payload as { contact: { id: number } }).contact.id;
    const created = await call(fake, '/conversations', fake.tokens.admin, {
      inbox_id: fake.inboxId,
      contact_id: contactId,
      status: 'open',
    });
    id = created.json().id as number;
  }
  await call(fake, `/conversations/${id}/messages`, fake.tokens.admin, {
    content: text,
    message_type: 'incoming',
  });
  await fake.idle();
  return id;
}

describe('fake Chatwoot: agent-bot mode (agent_bot_listener.rb, agent_bots/webhook_job.rb)', () => {
  it('starts conversations pending and sends the bot its events, signed with the bot secret', async () => {
    const endpoint = await botEndpoint();
    const fake = await start({ agentBot: { outgoingUrl: endpoint.url } });
    const conversationId = await contactWrites(fake, 'hello');
    expect(fake.conversation(conversationId)?.status).toBe('pending');
    // No conversation_created for bots; the contact's message arrives.
    expect(endpoint.received.map((delivery) => delivery.event)).toEqual(['message_created']);
    const [delivery] = endpoint.received;
    const timestamp = String(delivery?.headers['x-chatwoot-timestamp']);
    const expected = `sha256=${createHmac('sha256', fake.agentBotSecret).update(`${timestamp}.${delivery?.body}`).digest('hex')}`;
    expect(delivery?.headers['x-chatwoot-signature']).toBe(expected);
    expect(JSON.parse(delivery?.body ?? '{}').conversation.status).toBe('pending');
  });

  it('reopens a resolved conversation as pending when the contact writes again', async () => {
    const endpoint = await botEndpoint();
    const fake = await start({ agentBot: { outgoingUrl: endpoint.url } });
    const conversationId = await contactWrites(fake, 'hello');
    await call(fake, `/conversations/${conversationId}/toggle_status`, fake.tokens.agent, {
      status: 'resolved',
    });
    await contactWrites(fake, 'me again', conversationId);
    expect(fake.conversation(conversationId)?.status).toBe('pending');
    expect(endpoint.received.map((delivery) => delivery.event)).toEqual(
      expect.arrayContaining([
        'conversation_resolved',
        'conversation_status_changed',
        'conversation_updated',
      ]),
    );
  });

  it('tries a bot webhook three times on 500, then opens the conversation for agents', async () => {
    const endpoint = await botEndpoint([500, 500, 500]);
    const fake = await start({ agentBot: { outgoingUrl: endpoint.url } });
    const conversationId = await contactWrites(fake, 'hello');
    await fake.idle();
    const attempts = endpoint.received.filter((delivery) => delivery.event === 'message_created');
    expect(attempts).toHaveLength(3);
    // The same delivery each time (`delivery_id` is a job argument), signed afresh per attempt.
    expect(new Set(attempts.map((attempt) => attempt.headers['x-chatwoot-delivery'])).size).toBe(1);
    expect(fake.conversation(conversationId)?.status).toBe('open');
    // `Webhooks::Trigger#update_conversation_status`: one activity line, no status line.
    const lines = (fake.conversation(conversationId)?.messages ?? [])
      .filter((message) => message.messageType === 'activity')
      .map((message) => message.content);
    expect(lines).toEqual(['Conversation was marked open by system due to an error with the agent bot.']);
  });

  it('opens the conversation only when a message event failed, not a conversation event', async () => {
    const endpoint = await botEndpoint();
    const fake = await start({ agentBot: { outgoingUrl: endpoint.url } });
    const conversationId = await contactWrites(fake, 'hello');
    fake.setAgentBot({ outgoingUrl: 'http://127.0.0.1:1/unreachable' });
    await call(fake, `/conversations/${conversationId}/toggle_priority`, fake.tokens.admin, {
      priority: 'high',
    });
    await fake.idle();
    expect(fake.conversation(conversationId)?.status).toBe('pending');
  });

  it('tells bots only of messages and the deprecated opened/resolved before 4.13.0, unsigned', async () => {
    const endpoint = await botEndpoint();
    const fake = await start({ version: '4.12.1', agentBot: { outgoingUrl: endpoint.url } });
    // Without auto-assignment the open is a status change of its own (else chatwoot #9277 swallows it).
    fake.setInbox({ enableAutoAssignment: false });
    const conversationId = await contactWrites(fake, 'hello');
    await call(fake, `/conversations/${conversationId}/toggle_status`, fake.tokens.agent, { status: 'open' });
    await call(fake, `/conversations/${conversationId}/toggle_status`, fake.tokens.agent, {
      status: 'pending',
    });
    await fake.idle();
    expect(endpoint.received.map((delivery) => delivery.event).sort()).toEqual([
      'conversation_opened',
      'message_created',
    ]);
    expect(endpoint.received[0]?.headers).not.toHaveProperty('x-chatwoot-signature');
    expect(endpoint.received[0]?.headers).not.toHaveProperty('x-chatwoot-delivery');
    // Bots may not read a conversation before 4.14.2.
    const read = await request(`${fake.baseUrl}/api/v1/accounts/1/conversations/${conversationId}`, {
      headers: { api_access_token: fake.tokens.bot },
    });
    expect(read.statusCode).toBe(401);
    await read.body.dump();
  });

  it('does not retry other failures, and keeps the conversation pending when the account says so', async () => {
    const failing = await botEndpoint([404]);
    const fake = await start({ agentBot: { outgoingUrl: failing.url } });
    const opened = await contactWrites(fake, 'hello');
    expect(failing.received.filter((delivery) => delivery.event === 'message_created')).toHaveLength(1);
    expect(fake.conversation(opened)?.status).toBe('open');

    const kept = await botEndpoint([502]);
    const keeping = await start({ agentBot: { outgoingUrl: kept.url }, keepPendingOnBotFailure: true });
    const pending = await contactWrites(keeping, 'hello');
    expect(keeping.conversation(pending)?.status).toBe('pending');
  });

  it('lets administrators create a bot and attach it to the inbox, and nobody else', async () => {
    const endpoint = await botEndpoint();
    const fake = await start({});
    const created = await call(fake, '/agent_bots', fake.tokens.admin, {
      name: 'Router',
      outgoing_url: endpoint.url,
    });
    expect(created.status).toBe(200);
    const bot = created.json();
    expect(bot).toMatchObject({
      name: 'Router',
      outgoing_url: endpoint.url,
      access_token: expect.any(String),
    });
    expect(
      (await call(fake, `/inboxes/${fake.inboxId}/set_agent_bot`, fake.tokens.agent, { agent_bot: bot.id }))
        .status,
    ).toBe(401);
    expect(
      (
        await call(fake, `/inboxes/${fake.inboxId}/set_agent_bot`, fake.tokens.bot, { agent_bot: bot.id })
      ).json(),
    ).toEqual({ error: 'Access to this endpoint is not authorized for bots' });
    expect(
      (await call(fake, `/inboxes/${fake.inboxId}/set_agent_bot`, fake.tokens.admin, { agent_bot: bot.id }))
        .status,
    ).toBe(200);
    const shown = await request(`${fake.baseUrl}/api/v1/accounts/1/inboxes/${fake.inboxId}/agent_bot`, {
      headers: { api_access_token: fake.tokens.admin },
    });
    expect(((await shown.body.json()) as { agent_bot: { id: number } }).agent_bot.id).toBe(bot.id);
    const conversationId = await contactWrites(fake, 'hello');
    expect(fake.conversation(conversationId)?.status).toBe('pending');
    expect(endpoint.received.map((delivery) => delivery.event)).toEqual(['message_created']);
  });

  it('keeps conversations open by default without an agent bot', async () => {
    const fake = await start({});
    const conversationId = await contactWrites(fake, 'hello');
    expect(fake.conversation(conversationId)?.status).toBe('open');
  });
});

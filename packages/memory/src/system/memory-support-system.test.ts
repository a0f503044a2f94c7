import { createHmac } from 'node:crypto';
import type { WebhookRequest } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { createMemorySupportSystem } from './memory-support-system.js';

const token = 'memory-api-token-of-the-tests';

async function api(
  system: ReturnType<typeof createMemorySupportSystem>,
  operation: Parameters<typeof system.request>[0]['operation'],
  body?: unknown,
) {
  const response = await system.request({ operation, token, body });
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(response.body) as Record<string, unknown>,
  };
}

async function openedConversation(system: ReturnType<typeof createMemorySupportSystem>) {
  const { body: created } = await api(system, 'users.create', { externalId: 'user-1', name: 'Jane' });
  const userId = (created.user as { id: string }).id;
  const { body } = await api(system, 'conversations.create', { userId, handoffKey: 'h-1' });
  return (body.conversation as { id: string }).id;
}

describe('in-process support system: API', () => {
  it('refuses a wrong token with 401 and a JSON error', async () => {
    const system = createMemorySupportSystem({ apiToken: token });
    const response = await system.request({ operation: 'teams.list', token: 'wrong' });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'unauthorized', message: 'invalid API token' },
    });
  });

  it('answers 422 naming the field for a bad body', async () => {
    const system = createMemorySupportSystem({ apiToken: token });
    const { status, body } = await api(system, 'users.create', { name: 'no external id' });
    expect(status).toBe(422);
    expect(JSON.stringify(body)).toContain('externalId');
  });

  it('never de-duplicates users on create: looking up is the caller job', async () => {
    const system = createMemorySupportSystem({ apiToken: token });
    await api(system, 'users.create', { externalId: 'same' });
    await api(system, 'users.create', { externalId: 'same' });
    expect(system.findUsers({ externalId: 'same' })).toHaveLength(2);
  });

  it('opens conversations held back from agents, and stores a message once per source key', async () => {
    const system = createMemorySupportSystem({ apiToken: token });
    const conversationId = await openedConversation(system);
    expect(system.getConversation(conversationId)?.status).toBe('pending');
    const post = { conversationId, messages: [{ author: 'user', text: 'hi', sourceKey: 'm1' }] };
    const first = await api(system, 'messages.create', post);
    const second = await api(system, 'messages.create', post);
    expect(first.body).toMatchObject({ messages: [{ duplicate: false }] });
    expect(second.body).toMatchObject({ messages: [{ duplicate: true }] });
    expect(system.getConversation(conversationId)?.messages).toHaveLength(1);
  });

  it('transfers to a known team only, notifying agents and adding the note', async () => {
    const system = createMemorySupportSystem({ apiToken: token });
    const conversationId = await openedConversation(system);
    expect((await api(system, 'conversations.transfer', { id: conversationId, teamId: '99' })).status).toBe(
      422,
    );
    await api(system, 'conversations.transfer', {
      id: conversationId,
      teamId: '2',
      note: 'Routing: billing',
    });
    const conversation = system.getConversation(conversationId);
    expect(conversation).toMatchObject({ status: 'open', teamId: '2' });
    expect(conversation?.notifiedAt).toBeDefined();
    expect(conversation?.messages).toMatchObject([
      { author: 'note', private: true, text: 'Routing: billing' },
    ]);
    expect(system.listConversations({ teamId: '2', status: 'open' }).map((item) => item.id)).toEqual([
      conversationId,
    ]);
    expect(system.listConversations({ teamId: '3' })).toEqual([]);
  });

  it('produces each injected fault once', async () => {
    const system = createMemorySupportSystem({ apiToken: token });
    system.injectFault({ kind: 'rate_limited', retryAfterMs: 2_500 });
    system.injectFault({ kind: 'connection_reset' });
    system.injectFault({ kind: 'malformed_body' });
    const limited = await system.request({ operation: 'teams.list', token });
    expect([limited.status, limited.headers['retry-after']]).toEqual([429, '3']);
    await expect(system.request({ operation: 'teams.list', token })).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    const malformed = await system.request({ operation: 'teams.list', token });
    expect(() => JSON.parse(malformed.body)).toThrow();
    expect((await system.request({ operation: 'teams.list', token })).status).toBe(200);
  });

  it('hangs on a timeout fault until the caller aborts', async () => {
    const system = createMemorySupportSystem({ apiToken: token });
    system.injectFault({ kind: 'timeout' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('gave up')), 20);
    await expect(
      system.request({ operation: 'teams.list', token, signal: controller.signal }),
    ).rejects.toThrow('gave up');
  });
});

describe('in-process support system: agent side and webhooks', () => {
  it('signs every webhook like a remote system: sha256=HMAC("<timestamp>.<body>") with delivery id', async () => {
    const system = createMemorySupportSystem({ apiToken: token, webhookSecret: 'secret-1-of-the-test' });
    const received: WebhookRequest[] = [];
    system.subscribe((request) => {
      received.push(request);
    });
    const conversationId = await openedConversation(system);
    system.reply(conversationId, { text: 'Hello from Anna' });
    await system.idle();
    const [request] = received;
    expect(request).toBeDefined();
    const timestamp = request?.headers['x-memory-timestamp'] ?? '';
    const expected = `sha256=${createHmac('sha256', 'secret-1-of-the-test').update(`${timestamp}.${request?.body}`).digest('hex')}`;
    expect(request?.headers['x-memory-signature']).toBe(expected);
    expect(request?.headers['x-memory-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      event: 'message.created',
      conversation: { id: conversationId },
      message: { author: 'agent', text: 'Hello from Anna', agent: { name: 'Anna' } },
    });
  });

  it('delivers asynchronously, after the action returns', async () => {
    const system = createMemorySupportSystem({ apiToken: token });
    const received: string[] = [];
    system.subscribe((request) => {
      received.push(JSON.parse(request.body).event);
    });
    const conversationId = await openedConversation(system);
    system.assign(conversationId, { agentId: 'agent-omar' });
    system.typing(conversationId, { typing: true });
    system.resolve(conversationId);
    expect(received).toEqual([]);
    await system.idle();
    expect(received).toEqual(['conversation.assigned', 'typing', 'conversation.resolved']);
    expect(system.getConversation(conversationId)).toMatchObject({
      status: 'resolved',
      assigneeId: 'agent-omar',
    });
  });
});

describe('in-process support system: restarts', () => {
  it('starts again from exported state, ids continuing where they stopped', async () => {
    const system = createMemorySupportSystem({ apiToken: token });
    let changes = 0;
    system.onChange(() => {
      changes += 1;
    });
    const conversationId = await openedConversation(system);
    system.reply(conversationId, { text: 'before the restart' });
    expect(changes).toBeGreaterThanOrEqual(3);
    const restarted = createMemorySupportSystem({
      apiToken: token,
      initialState: JSON.parse(JSON.stringify(system.exportState())),
    });
    expect(restarted.getConversation(conversationId)?.messages.map((message) => message.text)).toEqual([
      'before the restart',
    ]);
    const { body } = await api(restarted, 'users.create', { externalId: 'user-2' });
    expect((body.user as { id: string }).id).toBe('u2');
  });
});

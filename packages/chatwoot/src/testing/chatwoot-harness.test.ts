import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChatwootHarness, createChatwootHarness } from './chatwoot-harness.js';

let harness: ChatwootHarness;

beforeEach(async () => {
  harness = await createChatwootHarness();
});

afterEach(async () => {
  await harness.close?.();
});

/** Calls the fake as an adapter would (recorded, faultable). */
async function adapterCall(token: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await request(`${harness.fake.baseUrl}/api/v1/accounts/1${path}`, {
    method: 'POST',
    headers: { api_access_token: token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A contact and a pending conversation, made the way the notes recommend. */
async function heldConversation(identifier = 'user-1'): Promise<string> {
  const { admin, bot } = harness.fake.tokens;
  const created = (await adapterCall(admin, '/contacts', { inbox_id: 3, identifier, name: 'Jane' })) as {
    payload: { contact: { id: number } };
  };
  const conversation = await adapterCall(bot, '/conversations', {
    inbox_id: 3,
    contact_id: created.payload.contact.id,
    status: 'pending',
  });
  return String(conversation.id);
}

/** The events of some deliveries, sorted: Chatwoot delivers them in no particular order. */
const events = (requests: Array<{ body: string }>) =>
  requests.map((delivery) => (JSON.parse(delivery.body) as { event: string }).event).sort();

/** The body of the one delivery of `event`. */
function bodyOf(requests: Array<{ body: string }>, event: string): Record<string, unknown> {
  const found = requests
    .map((delivery) => JSON.parse(delivery.body) as Record<string, unknown>)
    .filter((body) => body.event === event);
  expect(found, `deliveries of ${event}`).toHaveLength(1);
  return found[0] ?? {};
}

describe('the Chatwoot harness', () => {
  it('reads users, teams and unknown ids from the fake', async () => {
    await heldConversation('user-1');
    const [user] = await harness.findUsers({ externalId: 'user-1' });
    expect(user).toEqual({
      supportUserId: expect.stringMatching(/^\d+$/),
      externalId: 'user-1',
      name: 'Jane',
    });
    expect(await harness.findUsers({ externalId: 'USER-1' })).toEqual([]);
    // Chatwoot keeps team names lowercased (`app/models/team.rb`).
    expect((await harness.teams()).map((team) => [team.id, team.name])).toEqual([
      ['1', 'support'],
      ['2', 'billing'],
      ['3', 'orders'],
    ]);
    expect(await harness.getConversation(await harness.unknownConversationId())).toBeUndefined();
    expect(harness.features?.retryAfterHint).toBe(false);
    expect(harness.agentName).toBe('Anna');
  });

  it('maps statuses, notifications and message authors', async () => {
    const conversationId = await heldConversation();
    const { admin, bot } = harness.fake.tokens;
    const path = `/conversations/${conversationId}/messages`;
    await adapterCall(admin, path, { content: 'Hello', message_type: 'incoming' });
    await adapterCall(bot, path, { content: 'Bot as agent bot' });
    await adapterCall(admin, path, { content: 'Bot as token user', source_id: 'handoff:m2' });
    await adapterCall(admin, path, { content: 'Summary', private: true });
    expect(await harness.getConversation(conversationId)).toMatchObject({
      status: 'held',
      agentsNotified: false,
    });

    await adapterCall(bot, `/conversations/${conversationId}/assignments`, { team_id: 2 });
    await adapterCall(bot, `/conversations/${conversationId}/toggle_status`, { status: 'open' });
    await harness.agentReply(conversationId, { text: 'Hi, Anna here' });
    const conversation = await harness.getConversation(conversationId);
    expect(conversation).toMatchObject({
      conversationId,
      status: 'open',
      agentsNotified: true,
      team: { id: '2', name: 'billing' },
    });
    expect(conversation?.messages.map((message) => [message.author, message.text, message.private])).toEqual([
      ['user', 'Hello', false],
      ['bot', 'Bot as agent bot', false],
      ['bot', 'Bot as token user', false],
      ['note', 'Summary', true],
      ['agent', 'Hi, Anna here', false],
    ]);
  });

  it('returns exactly the webhooks an action caused and keeps earlier ones for takeWebhooks', async () => {
    const conversationId = await heldConversation();
    const reply = await harness.agentReply(conversationId, { text: 'Hi' });
    // The first human reply also sets first_reply_created_at and clears waiting_since.
    expect(events(reply)).toEqual(['conversation_updated', 'message_created']);
    expect(bodyOf(reply, 'message_created')).toMatchObject({
      message_type: 'outgoing',
      private: false,
      sender: { id: 7, type: 'user' },
    });
    expect(events(await harness.takeWebhooks())).toEqual(['conversation_created']);
    expect(await harness.takeWebhooks()).toEqual([]);
  });

  it('plays note, typing, assignment and resolution through the API', async () => {
    const conversationId = await heldConversation();
    await harness.takeWebhooks();
    const note = await harness.agentNote(conversationId, 'Internal: VIP');
    expect(bodyOf(note, 'message_created')).toMatchObject({ private: true });
    const typing = await harness.agentTyping(conversationId, true);
    expect(bodyOf(typing, 'conversation_typing_on')).toMatchObject({
      user: { id: 7, name: 'Anna', type: 'user' },
      is_private: false,
    });
    const assigned = await harness.assignAgent(conversationId);
    expect(bodyOf(assigned, 'conversation_updated')).toMatchObject({
      meta: { assignee: { id: 7, name: 'Anna' }, assignee_type: 'User' },
    });
    expect(events(await harness.resolve(conversationId))).toEqual([
      'conversation_status_changed',
      'conversation_updated',
    ]);
    expect((await harness.getConversation(conversationId))?.status).toBe('resolved');
    expect(harness.fake.requests.map((recorded) => recorded.path)).toEqual([
      '/api/v1/accounts/1/contacts',
      '/api/v1/accounts/1/conversations',
    ]);
  });

  it('uploads generated files for an agent reply with attachments', async () => {
    const conversationId = await heldConversation();
    const deliveries = await harness.agentReply(conversationId, {
      text: 'Your label',
      attachments: [
        { url: 'https://files.example.test/label.png', contentType: 'image/png', name: 'label.png' },
      ],
    });
    const payload = bodyOf(deliveries, 'message_created') as { attachments: Array<Record<string, unknown>> };
    expect(payload.attachments[0]).toMatchObject({
      file_type: 'image',
      content_type: 'image/png',
      data_url: expect.stringMatching(/\/rails\/active_storage\/blobs\/redirect\/.+\/label\.png$/),
    });
    const [message] = (await harness.getConversation(conversationId))?.messages ?? [];
    expect(message?.attachments).toEqual([
      {
        url: payload.attachments[0]?.data_url,
        contentType: 'image/png',
        name: 'label.png',
        size: expect.any(Number),
      },
    ]);
  });

  it('delegates faults to the fake', async () => {
    harness.injectFault({ kind: 'server_error' }, { times: 2 });
    await expect(heldConversation()).rejects.toThrow('HTTP 500');
    await expect(heldConversation()).rejects.toThrow('HTTP 500');
    await expect(heldConversation()).resolves.toMatch(/^\d+$/);
  });
});

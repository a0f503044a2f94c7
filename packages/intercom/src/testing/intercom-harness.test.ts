import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIntercomHarness, type IntercomHarness } from './intercom-harness.js';
import { intercomSettingsFor } from './intercom-settings-for.js';

let harness: IntercomHarness;

beforeEach(async () => {
  harness = await createIntercomHarness();
});

afterEach(async () => {
  await harness.close?.();
});

/** Calls the fake as an adapter would (recorded, faultable). */
async function adapterCall(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await request(`${harness.fake.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${harness.fake.accessToken}`,
      'content-type': 'application/json',
      'intercom-version': '2.14',
    },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A contact and the conversation it opens, made the way the adapter does. */
async function openedConversation(
  externalId = 'user-1',
): Promise<{ contactId: string; conversationId: string }> {
  const contact = await adapterCall('/contacts', { role: 'user', external_id: externalId, name: 'Jane' });
  const message = await adapterCall('/conversations', {
    from: { type: 'user', id: contact.id },
    body: 'I need a human',
  });
  return { contactId: String(contact.id), conversationId: String(message.conversation_id) };
}

const topics = (requests: Array<{ body: string }>) =>
  requests.map((delivery) => (JSON.parse(delivery.body) as { topic: string }).topic);

describe('the Intercom harness', () => {
  it('reads users, teams, settings and unknown ids from the fake', async () => {
    const { contactId } = await openedConversation('user-1');
    expect(await harness.findUsers({ externalId: 'user-1' })).toEqual([
      { supportUserId: contactId, externalId: 'user-1', name: 'Jane' },
    ]);
    expect(await harness.findUsers({ externalId: 'USER-1' })).toEqual([]);
    expect((await harness.teams()).map((team) => team.name)).toEqual(['Support', 'Billing', 'Orders']);
    expect(await harness.getConversation(await harness.unknownConversationId())).toBeUndefined();
    expect(harness.features).toEqual({
      retryAfterHint: true,
      timestampedSignatures: false,
      lostAnswers: true,
    });
    expect(harness.agentName).toBe('Anna');
    expect(intercomSettingsFor(harness.fake)).toEqual({
      baseUrl: harness.fake.baseUrl,
      accessToken: 'intercom-test-token',
      botAdminId: harness.fake.botAdminId,
      clientSecret: 'intercom-client-secret',
    });
  });

  it('maps a conversation: source first, bot and agent turns, notes, no bodiless parts', async () => {
    const { conversationId, contactId } = await openedConversation();
    const bot = harness.fake.botAdminId;
    await adapterCall(`/conversations/${conversationId}/reply`, {
      message_type: 'comment',
      type: 'admin',
      admin_id: bot,
      body: 'Bot answer',
    });
    await adapterCall(`/conversations/${conversationId}/reply`, {
      message_type: 'note',
      type: 'admin',
      admin_id: bot,
      body: 'Bot note',
    });
    const [support] = await harness.teams();
    await adapterCall(`/conversations/${conversationId}/parts`, {
      message_type: 'assignment',
      type: 'team',
      admin_id: bot,
      assignee_id: support?.id,
    });
    await harness.agentReply(conversationId, { text: 'Hello, Anna here' });
    await harness.agentNote(conversationId, 'Checking the order');
    const conversation = await harness.getConversation(conversationId);
    expect(conversation).toEqual({
      conversationId,
      supportUserId: contactId,
      status: 'open',
      agentsNotified: true,
      team: { id: support?.id, name: 'Support' },
      messages: [
        { author: 'user', text: 'I need a human', private: false },
        { author: 'bot', text: 'Bot answer', private: false },
        { author: 'note', text: 'Bot note', private: true },
        { author: 'agent', text: 'Hello, Anna here', private: false },
        { author: 'note', text: 'Checking the order', private: true },
      ],
    });
  });

  it('returns the webhooks of each agent action; typing sends none', async () => {
    const { conversationId } = await openedConversation();
    expect(topics(await harness.takeWebhooks())).toEqual(['conversation.user.created']);
    expect(topics(await harness.agentReply(conversationId, { text: 'Hi' }))).toEqual([
      'conversation.admin.replied',
    ]);
    expect(topics(await harness.agentNote(conversationId, 'Hm'))).toEqual(['conversation.admin.noted']);
    expect(await harness.agentTyping(conversationId, true)).toEqual([]);
    const assigned = await harness.assignAgent(conversationId);
    expect(topics(assigned)).toEqual(['conversation.admin.assigned']);
    expect(harness.fake.conversation(conversationId)?.adminAssigneeId).toBe(
      Number(harness.fake.humanAdmin.id),
    );
    expect(topics(await harness.resolve(conversationId))).toEqual(['conversation.admin.closed']);
    expect((await harness.getConversation(conversationId))?.status).toBe('resolved');
    expect(await harness.takeWebhooks()).toEqual([]);
    // The harness's own calls are not recorded; the adapter's are.
    expect(harness.fake.requests.map((recorded) => recorded.path)).toEqual(['/contacts', '/conversations']);
  });

  it('sends agent attachments as attachment_urls with the given name and type', async () => {
    const { conversationId } = await openedConversation();
    const label = {
      url: 'https://files.example.test/label',
      contentType: 'image/png',
      name: 'label.png',
      size: 2048,
    };
    const [delivery] = await harness.agentReply(conversationId, { text: 'Your label', attachments: [label] });
    const part = (
      JSON.parse(delivery?.body ?? '{}') as {
        data: { item: { conversation_parts: { conversation_parts: Array<{ attachments: unknown[] }> } } };
      }
    ).data.item.conversation_parts.conversation_parts[0];
    expect(part?.attachments).toEqual([
      expect.objectContaining({
        url: label.url,
        name: 'label.png',
        content_type: 'image/png',
        filesize: 2048,
      }),
    ]);
    const messages = (await harness.getConversation(conversationId))?.messages ?? [];
    expect(messages.at(-1)?.attachments).toEqual([label]);
  });

  it('makes a team away and back, and injects faults into the adapter calls only', async () => {
    const orders = (await harness.teams()).find((team) => team.name === 'Orders');
    await harness.setTeamAvailability?.(orders?.id ?? '', true);
    expect(harness.fake.admins().find((admin) => admin.name === 'Omar')?.awayModeEnabled).toBe(false);
    await harness.setTeamAvailability?.(orders?.id ?? '', false);
    expect(harness.fake.admins().find((admin) => admin.name === 'Omar')?.awayModeEnabled).toBe(true);
    const { conversationId } = await openedConversation();
    harness.injectFault({ kind: 'server_error' });
    await harness.agentReply(conversationId, { text: 'Not faulted' });
    await expect(
      adapterCall('/contacts/search', { query: { field: 'role', operator: '=', value: 'user' } }),
    ).rejects.toThrow('HTTP 500');
  });
});

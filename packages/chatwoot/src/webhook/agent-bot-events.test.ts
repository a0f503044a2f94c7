import { readFileSync } from 'node:fs';
import type { BotHostEvent } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { agentBotWebhookEvents } from './agent-bot-events.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../__fixtures__/webhooks/${name}.json`, import.meta.url), 'utf8'));

const events = (body: unknown, inboxIds: number[] | undefined = [3]) =>
  agentBotWebhookEvents(body, { inboxIds }).events;

describe('Chatwoot agent-bot webhooks to host events', () => {
  it("turns a contact's message in a pending conversation into contact.message held by the bot", () => {
    expect(events(fixture('agent-bot-message-created-contact'))).toEqual<BotHostEvent[]>([
      {
        type: 'contact.message',
        id: 'message:4601',
        conversationId: '42',
        holder: 'bot',
        contact: { id: '51', name: 'Jane', identifier: 'user-123' },
        message: { id: '4601', text: 'Where is my order A-17?' },
        occurredAt: expect.any(String) as unknown as string,
      },
    ]);
  });

  it('reports a human as the holder of an open conversation', () => {
    const body = fixture('agent-bot-message-created-contact');
    (body.conversation as Record<string, unknown>).status = 'open';
    expect(events(body)[0]?.holder).toBe('human');
  });

  it("leaves out the bot's own replies, agents' replies and notes, and template messages", () => {
    for (const name of [
      'message-created-agent-bot',
      'message-created-agent-reply',
      'message-created-agent-private-note',
      'message-created-csat-template',
      'message-updated-failed',
    ]) {
      expect(events(fixture(name)), name).toEqual([]);
    }
  });

  it('leaves out incoming messages that carry our marker and private incoming messages', () => {
    expect(events(fixture('message-created-incoming-mirror'))).toEqual([]);
    expect(events({ ...fixture('agent-bot-message-created-contact'), private: true })).toEqual([]);
  });

  it('turns status changes into conversation.holder, once per change', () => {
    expect(events(fixture('agent-bot-status-changed-pending'))).toEqual<BotHostEvent[]>([
      {
        type: 'conversation.holder',
        id: 'status:42:pending:1781950502.41',
        conversationId: '42',
        holder: 'bot',
      },
    ]);
    expect(events(fixture('conversation-status-changed-resolved'))[0]?.holder).toBe('closed');
    expect(events(fixture('conversation-status-changed-opened'))[0]?.holder).toBe('human');
    // The conversation_updated of the same change, and the deprecated opened/resolved (the only
    // ones before 4.13.0), give the same event, under the same id when the change is the same.
    const handedBack = events(fixture('conversation-updated-handed-back'));
    expect(handedBack).toMatchObject([{ type: 'conversation.holder', holder: 'bot' }]);
    const opened = fixture('conversation-status-changed-opened');
    expect(events({ ...opened, event: 'conversation_opened' })).toEqual(events(opened));
    expect(
      events({ ...fixture('conversation-status-changed-resolved'), event: 'conversation_resolved' }),
    ).toMatchObject([{ holder: 'closed' }]);
  });

  it('sees a human taking the conversation when auto-assignment swallowed the status events (chatwoot #9277)', () => {
    // Auto-assignment inside the save to open leaves only this conversation_updated: the new
    // assignee of an open conversation, no status entry.
    const body = fixture('conversation-updated-assignee');
    expect(events(body)).toMatchObject([
      { type: 'conversation.holder', conversationId: '42', holder: 'human' },
    ]);
  });

  it('reports what it cannot read, naming the field, and keeps the rest of the message', () => {
    const body = fixture('agent-bot-message-created-contact');
    const withFiles = {
      ...body,
      attachments: [
        { id: 1, file_type: 'file', data_url: null, thumb_url: '' },
        null,
        {
          id: 3,
          file_type: 'image',
          data_url: 'https://cw.example/rails/active_storage/blobs/redirect/x/map.png',
          content_type: 'image/png',
        },
      ],
    };
    const parsed = agentBotWebhookEvents(withFiles, { inboxIds: [3] });
    expect(parsed.events[0]).toMatchObject({
      type: 'contact.message',
      message: {
        text: 'Where is my order A-17?',
        attachments: [{ name: 'map.png', contentType: 'image/png' }],
      },
    });
    expect(parsed.unreadable.map((part) => part.field)).toEqual([
      'attachments[0].data_url',
      'attachments[1]',
    ]);
    const broken = agentBotWebhookEvents(
      { ...body, conversation: { status: 'pending' } },
      { inboxIds: undefined },
    );
    expect(broken.events).toEqual([]);
    expect(broken.unreadable).toMatchObject([{ field: 'conversation.id' }]);
  });

  it('answers only the configured inboxes', () => {
    expect(events(fixture('agent-bot-message-created-contact'), [9])).toEqual([]);
    expect(events(fixture('agent-bot-message-created-contact'), undefined)).toHaveLength(1);
  });

  it('ignores bodies that are not Chatwoot events', () => {
    expect(events(null)).toEqual([]);
    expect(events({ event: 'message_created', id: 'x' })).toEqual([]);
  });
});

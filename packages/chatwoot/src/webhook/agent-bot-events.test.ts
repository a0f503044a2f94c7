import { readFileSync } from 'node:fs';
import type { BotHostEvent } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { agentBotWebhookEvents } from './agent-bot-events.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../__fixtures__/webhooks/${name}.json`, import.meta.url), 'utf8'));

const events = (body: unknown, inboxIds: number[] | undefined = [3]) =>
  agentBotWebhookEvents(body, { inboxIds });

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
    // The conversation_updated that doubles each status change, and the deprecated events, add nothing.
    expect(events(fixture('conversation-updated-handed-back'))).toEqual([]);
    expect(
      events({ ...fixture('conversation-status-changed-opened'), event: 'conversation_opened' }),
    ).toEqual([]);
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

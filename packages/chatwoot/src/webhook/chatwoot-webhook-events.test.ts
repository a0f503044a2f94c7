import { readFileSync } from 'node:fs';
import type { SupportEvent } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { chatwootWebhookEvents, type WebhookEventContext } from './chatwoot-webhook-events.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../__fixtures__/webhooks/${name}.json`, import.meta.url), 'utf8'));

const context = (overrides: Partial<WebhookEventContext> = {}): WebhookEventContext => ({
  inboxId: 3,
  isOwnMessage: () => false,
  closedByAdapter: () => false,
  ...overrides,
});

const events = (name: string, overrides: Partial<WebhookEventContext> = {}, deliveryId = 'delivery-1') =>
  chatwootWebhookEvents(fixture(name), context(overrides), deliveryId);

describe('Chatwoot webhooks to core events', () => {
  it('relays a human agent reply with its attachment, conversation and session', () => {
    expect(events('message-created-agent-reply')).toEqual<SupportEvent[]>([
      {
        type: 'agent.message',
        id: 'message:4512',
        conversationId: '42',
        sessionId: 'sess-7f3c',
        occurredAt: '2026-06-20T10:15:02.123Z',
        message: {
          id: '4512',
          text: "Hi, I'm Anna from Billing. Checking your invoice now.",
          attachments: [
            {
              url: 'https://cw.example/rails/active_storage/blobs/redirect/eyJfcmFpbHMiOnsi/return-label.png',
              contentType: 'image/png',
              name: 'return-label.png',
              size: 48211,
            },
          ],
        },
        agent: { id: '7', name: 'Anna' },
      },
    ]);
  });

  it("reports an agent's private note as agent.note, never as a message for the user", () => {
    expect(events('message-created-agent-private-note')).toEqual<SupportEvent[]>([
      {
        type: 'agent.note',
        id: 'note:4513',
        conversationId: '42',
        sessionId: 'sess-7f3c',
        occurredAt: '2026-06-20T10:15:02.123Z',
        note: { id: '4513', text: 'Internal: refund already approved in Stripe' },
        agent: { id: '7', name: 'Anna' },
      },
    ]);
  });

  const silent: Array<[string, string]> = [
    ['message-created-incoming-mirror', 'an incoming message (always our own mirror of a user turn)'],
    ['message-created-agent-bot', "the agent bot's own message"],
    [
      'message-created-user-token-bot-turn',
      'a bot turn posted with a user token, recognised by its source_id marker',
    ],
    ['message-created-transfer-note', 'our transfer note'],
    ['message-created-csat-template', 'a CSAT template without sender'],
    ['message-created-other-inbox', 'a message of another inbox (account webhooks cover all inboxes)'],
    ['message-updated-failed', 'message_updated (delivery status changes)'],
    ['conversation-created', 'conversation_created'],
    ['conversation-status-changed-opened', 'a conversation being opened (our own transfer)'],
    ['conversation-updated-team', 'a team change without an agent'],
    ['conversation-typing-on-agent-bot', 'typing of the agent bot'],
    ['conversation-typing-on-private', 'typing of a private note'],
  ];
  for (const [name, what] of silent) {
    it(`gives no event for ${what}`, () => {
      expect(events(name)).toEqual([]);
    });
  }

  it('drops a reply this adapter created itself even without a marker', () => {
    expect(events('message-created-agent-reply', { isOwnMessage: (id) => id === 4512 })).toEqual([]);
  });

  it('reports a resolved conversation as closed by an agent, with the same id from both events', () => {
    const fromStatus = events('conversation-status-changed-resolved');
    const fromUpdate = events('conversation-updated-resolved');
    expect(fromStatus).toEqual([
      {
        type: 'conversation.closed',
        id: 'closed:42:1781950502.41',
        conversationId: '42',
        sessionId: 'sess-7f3c',
        closedBy: 'agent',
      },
    ]);
    expect(fromUpdate.map((event) => event.id)).toEqual(fromStatus.map((event) => event.id));
  });

  it('reports a close the adapter made itself as closed by the bot', () => {
    expect(
      events('conversation-status-changed-resolved', { closedByAdapter: (id) => id === '42' }),
    ).toMatchObject([{ type: 'conversation.closed', closedBy: 'bot' }]);
  });

  it('treats an agent setting the conversation back to pending as handing it back', () => {
    expect(events('conversation-updated-handed-back')).toMatchObject([
      { type: 'conversation.closed', conversationId: '42', closedBy: 'agent' },
    ]);
  });

  it('reports an agent taking the conversation, with the team', () => {
    expect(events('conversation-updated-assignee')).toEqual([
      {
        type: 'agent.assigned',
        id: 'assigned:42:7',
        conversationId: '42',
        sessionId: 'sess-7f3c',
        agent: { id: '7', name: 'Anna' },
        team: { id: '2', name: 'billing' },
      },
    ]);
  });

  it('reports agent typing on and off', () => {
    expect(events('conversation-typing-on')).toMatchObject([
      { type: 'agent.typing', typing: true, agent: { name: 'Anna' } },
    ]);
    expect(events('conversation-typing-off')).toMatchObject([{ type: 'agent.typing', typing: false }]);
  });

  it('ignores what it cannot read instead of failing', () => {
    expect(chatwootWebhookEvents({ event: 'contact_created', id: 1 }, context())).toEqual([]);
    expect(chatwootWebhookEvents({ event: 'message_created' }, context())).toEqual([]);
    expect(chatwootWebhookEvents('text', context())).toEqual([]);
    expect(chatwootWebhookEvents(null, context())).toEqual([]);
  });
});

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
  chatwootWebhookEvents(fixture(name), context(overrides), deliveryId).events;
const eventsOf = (body: unknown) => chatwootWebhookEvents(body, context()).events;

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
        id: 'closed:42',
        conversationId: '42',
        sessionId: 'sess-7f3c',
        occurredAt: new Date(1781950502.41 * 1000).toISOString(),
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

  it('tells the close from changed_attributes, whatever the body says when its job ran', () => {
    // Resolved, then reopened before the job ran: the body says open, the change says resolved.
    const body = fixture('conversation-updated-resolved') as Record<string, unknown>;
    expect(eventsOf({ ...body, status: 'open' })).toMatchObject([
      { type: 'conversation.closed', id: 'closed:42' },
    ]);
    // A change of something else while the conversation happens to be resolved is not a close.
    expect(
      eventsOf({
        ...body,
        changed_attributes: [{ priority: { previous_value: null, current_value: 'high' } }],
      }),
    ).toEqual([]);
  });

  it('reports an assignee from changed_attributes, with the name only when the body shows the same agent', () => {
    const body = fixture('conversation-updated-assignee') as Record<string, unknown>;
    expect(
      eventsOf({
        ...body,
        changed_attributes: [{ assignee_id: { previous_value: null, current_value: 8 } }],
      }),
    ).toMatchObject([{ type: 'agent.assigned', id: 'assigned:42:8', agent: { id: '8' } }]);
    const [unnamed] = eventsOf({
      ...body,
      changed_attributes: [{ assignee_id: { previous_value: null, current_value: 8 } }],
    });
    expect(unnamed).not.toHaveProperty('agent.name');
  });

  it('relays an agent message whose file has no URL, reporting the file it could not read', () => {
    const body = fixture('message-created-agent-reply') as Record<string, unknown>;
    const attachments = body.attachments as unknown[];
    const result = chatwootWebhookEvents(
      { ...body, attachments: [{ id: 9, file_type: 'file', data_url: null, thumb_url: '' }, ...attachments] },
      context(),
    );
    expect(result.events).toMatchObject([
      {
        type: 'agent.message',
        message: {
          text: "Hi, I'm Anna from Billing. Checking your invoice now.",
          attachments: [{ name: 'return-label.png' }],
        },
      },
    ]);
    expect(result.unreadable).toEqual([
      { field: 'attachments[0].data_url', reason: expect.stringMatching(/no URL/), eventId: 'message:4512' },
    ]);
  });

  it('reports an event it uses but cannot read, naming the field; ignores the events it does not use', () => {
    expect(chatwootWebhookEvents({ event: 'message_created', id: 5 }, context())).toEqual({
      events: [],
      unreadable: [{ field: 'message_type', reason: expect.any(String), eventId: 'message_created:5' }],
    });
    expect(chatwootWebhookEvents({ event: 'contact_created', id: 1 }, context())).toEqual({
      events: [],
      unreadable: [],
    });
    expect(chatwootWebhookEvents('text', context())).toEqual({ events: [], unreadable: [] });
    expect(chatwootWebhookEvents(null, context())).toEqual({ events: [], unreadable: [] });
  });
});

import type { ContactMessageEvent, WebhookRequest } from '@handoff/core';
import { check, checkEqual } from '../check.js';
import type { BotHostPointContext } from './bot-host-point.js';

/** A contact writes; the adapter must make exactly one `contact.message` of it. */
export async function contactMessage(context: BotHostPointContext, text?: string, identifier?: string) {
  const contact = { identifier: identifier ?? context.uniqueId('contact'), name: 'Jane Doe' };
  const written = text ?? `Hello, I need help (${context.uniqueId('text')})`;
  const { conversationId, contactId, requests } = await context.harness.contactWrites(contact, written);
  const events = (await context.eventsOf(requests)).filter(
    (event): event is ContactMessageEvent => event.type === 'contact.message',
  );
  checkEqual(events.length, 1, `contact.message events made of the contact's message "${written}"`);
  const event = events[0];
  check(event !== undefined, 'no contact.message event');
  return { conversationId, contactId, contact, event, requests, text: written };
}

/** The first webhook request a contact's message makes the system send to the bot. */
export async function genuineBotWebhook(
  context: BotHostPointContext,
): Promise<{ request: WebhookRequest; text: string }> {
  const text = `Genuine message ${context.uniqueId('text')}`;
  const { requests } = await context.harness.contactWrites({ identifier: context.uniqueId('contact') }, text);
  const request = requests.find((candidate) => candidate.body.includes(text));
  check(request !== undefined, 'the contact message made no bot webhook request');
  return { request, text };
}

/** Two teams of the backend: the second is the one handoffs go to, so it is told from a default. */
export async function handoffTeam(context: BotHostPointContext) {
  const teams = await context.harness.teams();
  const team = teams[1];
  check(team !== undefined, 'the harness must have at least two teams');
  return team;
}

export const botMessage = (id: string, text: string) => ({
  id,
  author: 'bot' as const,
  text,
  createdAt: new Date().toISOString(),
});

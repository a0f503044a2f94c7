import type { MessageAuthor, SupportEvent, TranscriptMessage, WebhookRequest } from '@handoff/core';
import { check } from './check.js';
import type { PointContext } from './contract-point.js';

/**
 * A user ensured and a conversation opened for them, ready for the point to use. `opening` is how
 * many messages the conversation held right after opening: a system that cannot open an empty
 * conversation (Intercom: the contact's first message starts it) opens it with a line of its
 * own, and the points judge what is posted after it.
 */
export async function openConversation(context: PointContext) {
  const userId = context.uniqueId('user');
  const { supportUserId } = await context.adapter.ensureUser({
    user: { id: userId, name: 'Conformance User' },
  });
  const handoffId = context.uniqueId('handoff');
  const { conversationId } = await context.adapter.openConversation({
    supportUserId,
    sessionId: context.uniqueId('session'),
    handoffId,
  });
  const opening = (await context.harness.getConversation(conversationId))?.messages.length ?? 0;
  return { userId, supportUserId, conversationId, handoffId, opening };
}

/** A conversation opened and transferred to a team, as when a human holds the session. */
export async function transferredConversation(context: PointContext) {
  const opened = await openConversation(context);
  const teams = await context.harness.teams();
  const team = teams[0];
  check(team !== undefined, 'the harness backend has no team');
  await context.adapter.transfer({
    conversationId: opened.conversationId,
    team: team.id,
    note: 'Handed over by the conformance kit',
  });
  return { ...opened, team };
}

export function message(context: PointContext, author: MessageAuthor, text: string): TranscriptMessage {
  return { id: context.uniqueId('message'), author, text, createdAt: new Date().toISOString() };
}

/** Feeds each webhook request to the adapter and returns every event it produced. */
export async function eventsFrom(
  context: PointContext,
  requests: readonly WebhookRequest[],
): Promise<SupportEvent[]> {
  const events: SupportEvent[] = [];
  for (const request of requests) {
    const result = await context.adapter.handleWebhook({ headers: request.headers, body: request.body });
    events.push(...result.events);
  }
  return events;
}

/** A webhook request to tamper with: the first one an agent reply produces. */
export async function genuineWebhook(context: PointContext, text = 'A reply from a human agent') {
  const { conversationId } = await transferredConversation(context);
  await context.harness.takeWebhooks();
  const requests = await context.harness.agentReply(conversationId, { text });
  const request = requests[0];
  check(request !== undefined, 'an agent reply made the system send no webhook');
  return { conversationId, request, text };
}

/**
 * A transferred conversation, then an agent action on it: returns the events the adapter made of
 * exactly the webhooks that action caused.
 */
export async function afterAgentAction(
  context: PointContext,
  act: (conversationId: string) => Promise<WebhookRequest[]>,
) {
  const { conversationId } = await transferredConversation(context);
  await context.harness.takeWebhooks();
  const requests = await act(conversationId);
  return { conversationId, requests, events: await eventsFrom(context, requests) };
}

/** The first event of `type`, or a failure listing what came instead. */
export function findEvent<Type extends SupportEvent['type']>(
  events: readonly SupportEvent[],
  type: Type,
): Extract<SupportEvent, { type: Type }> {
  const found = events.find((event): event is Extract<SupportEvent, { type: Type }> => event.type === type);
  check(
    found !== undefined,
    `no ${type} among ${events.map((event) => event.type).join(', ') || 'no events'}`,
  );
  return found;
}

export function elapsedSince(start: number): number {
  return Math.round(performance.now() - start);
}

/** A team id the backend does not have, shaped like its own ids (numeric when they are). */
export async function unknownTeamId(context: PointContext): Promise<string> {
  const teams = await context.harness.teams();
  const numeric = teams.every((team) => /^\d+$/.test(team.id));
  return numeric
    ? String(Math.max(0, ...teams.map((team) => Number(team.id))) + 9_000)
    : `no-such-team-${context.uniqueId('team')}`;
}

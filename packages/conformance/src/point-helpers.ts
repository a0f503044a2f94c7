import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type MessageAuthor,
  type SupportEvent,
  supportEventSchema,
  type TranscriptMessage,
  type WebhookRequest,
} from '@handoff/core';
import { check } from './check.js';
import type { PointContext } from './contract-point.js';

/**
 * A user ensured and a conversation opened for them, ready for the point to use. `opening` is how
 * many messages the conversation held right after opening: a system that cannot open an empty
 * conversation (Intercom: the contact's first message starts it) opens it with a line of its
 * own, and the points judge what is posted after it.
 */
export async function openConversation(
  context: PointContext,
  user: { userId: string; supportUserId: string } | undefined = undefined,
) {
  const userId = user?.userId ?? context.uniqueId('user');
  const supportUserId =
    user?.supportUserId ??
    (await context.adapter.ensureUser({ user: { id: userId, name: 'Conformance User' } })).supportUserId;
  const handoffId = context.uniqueId('handoff');
  const sessionId = context.uniqueId('session');
  const { conversationId } = await context.adapter.openConversation({ supportUserId, sessionId, handoffId });
  const opening = (await context.harness.getConversation(conversationId))?.messages.length ?? 0;
  return { userId, supportUserId, conversationId, handoffId, sessionId, opening };
}

/** Three conversations of two users (the first user has two), each transferred to a team. */
export async function severalConversations(context: PointContext) {
  const first = await openConversation(context);
  const second = await openConversation(context, first);
  const third = await openConversation(context);
  const teams = await context.harness.teams();
  const conversations = [first, second, third];
  for (const [index, conversation] of conversations.entries()) {
    const team = teams[index % teams.length];
    check(team !== undefined, 'the harness backend has no team');
    await context.adapter.transfer({
      conversationId: conversation.conversationId,
      team: team.id,
      note: `Handed over by the conformance kit (${index + 1})`,
    });
  }
  await context.harness.takeWebhooks();
  return conversations;
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
    events.push(...checkedEvents(result.events, 'handleWebhook'));
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

/** A team id the backend does not have, shaped like its own ids (numeric when they are). */
export async function unknownTeamId(context: PointContext): Promise<string> {
  const teams = await context.harness.teams();
  const numeric = teams.every((team) => /^\d+$/.test(team.id));
  return numeric
    ? String(Math.max(0, ...teams.map((team) => Number(team.id))) + 9_000)
    : `no-such-team-${context.uniqueId('team')}`;
}

/** `events`, each checked against the contract's event schema. */
export function checkedEvents(events: readonly SupportEvent[], operation: string): SupportEvent[] {
  for (const event of events) {
    const parsed = supportEventSchema.safeParse(event);
    check(
      parsed.success,
      `${operation} gave an event that does not match the contract (${parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}): ${JSON.stringify(event).slice(0, 300)}`,
    );
  }
  return [...events];
}

/** The text an event carries: the message's or the note's. */
export function eventText(event: SupportEvent): string | undefined {
  if (event.type === 'agent.message') return event.message.text;
  if (event.type === 'agent.note') return event.note.text;
  return undefined;
}

/** Ids that occur more than once (conversation.closed may repeat for one conversation). */
export function repeatedEventIds(events: readonly SupportEvent[]): string[] {
  const seen = new Map<string, string>();
  const repeated: string[] = [];
  for (const event of events) {
    const owner = seen.get(event.id);
    if (owner === undefined) seen.set(event.id, event.conversationId);
    else if (!(event.type === 'conversation.closed' && owner === event.conversationId))
      repeated.push(event.id);
  }
  return repeated;
}

/**
 * Serves files on 127.0.0.1 for as long as `use` runs, so adapters that upload can fetch them:
 * `fileUrl(name, size)` is a URL answering `size` bytes of text under that name. The type is
 * taken from the name (`.png`, `.pdf`, else text).
 */
export async function withServedFiles<Result>(
  use: (fileUrl: (name: string, size: number) => string) => Promise<Result>,
): Promise<Result> {
  const types: Record<string, string> = { png: 'image/png', pdf: 'application/pdf', jpg: 'image/jpeg' };
  const server = createServer((request, response) => {
    const [, size = '0', name = 'file.txt'] = (request.url ?? '').split('/');
    const bytes = Number(size);
    const type = types[name.split('.').at(-1) ?? ''] ?? 'text/plain';
    response.writeHead(200, { 'content-type': type, 'content-length': String(bytes) });
    const chunk = Buffer.alloc(Math.min(bytes, 64 * 1024), 'x');
    let left = bytes;
    const pump = () => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!response.write(piece)) return void response.once('drain', pump);
      }
      response.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await use((name, size) => `http://127.0.0.1:${port}/${size}/${encodeURIComponent(name)}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

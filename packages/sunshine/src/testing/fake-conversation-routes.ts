import { jsonResponse, refuse } from '@handoff/fake-server';
import { type FakeSunshineContext, type FakeSunshineRoute, sunshinePrefix } from './fake-context.js';
import { badRequest, sunshineErrors } from './fake-errors.js';
import { sunshineId } from './fake-ids.js';
import { pageOf, readPage } from './fake-pages.js';
import type { FakeConversation } from './fake-records.js';
import { findConversation, findUser } from './fake-state.js';
import { readMetadata } from './fake-switchboard.js';
import { conversationView } from './fake-views.js';

/** The conversation of the path, or the spec's 404 `conversation_not_found`. */
export function conversationOrRefuse(context: FakeSunshineContext, id: string | undefined): FakeConversation {
  const conversation = id === undefined ? undefined : findConversation(context.state, id);
  if (conversation === undefined)
    return refuse(sunshineErrors.notFound('conversation_not_found', 'Conversation not found'));
  return conversation;
}

/** `participants: [{userId} | {userExternalId}]` of conversationCreateBody: the users, all of them known. */
function readParticipants(context: FakeSunshineContext, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0)
    return badRequest('participants must be a non-empty array');
  return value.map((entry) => {
    const participant = (entry ?? {}) as Record<string, unknown>;
    const reference = participant.userId ?? participant.userExternalId;
    const user = typeof reference === 'string' ? findUser(context.state, reference) : undefined;
    if (user === undefined) return refuse(sunshineErrors.notFound('user_not_found', 'User not found'));
    return user.id;
  });
}

/** CreateConversation, ListConversations, GetConversation, ListParticipants (spec tags Conversations, Participants). */
export const conversationRoutes: FakeSunshineRoute[] = [
  {
    method: 'POST',
    pattern: `${sunshinePrefix}/conversations`,
    handle({ context, body }) {
      const input = (body ?? {}) as Record<string, unknown>;
      if (input.type !== 'personal' && input.type !== 'sdkGroup')
        return badRequest('type must be personal or sdkGroup');
      const participants = readParticipants(context, input.participants);
      if (input.type === 'personal' && participants.length !== 1)
        return badRequest('A personal conversation has exactly one participant');
      const first = !context.state.conversations.some((conversation) =>
        conversation.participants.includes(participants[0] as string),
      );
      const conversation: FakeConversation = {
        id: sunshineId(),
        type: input.type,
        isDefault: input.type === 'personal' && first,
        participants,
        metadata: readMetadata(input.metadata) ?? {},
        activeSwitchboardIntegrationId: undefined,
        pendingSwitchboardIntegrationId: undefined,
        messages: [],
        createdAt: new Date().toISOString(),
        ticketId: undefined,
      };
      context.state.conversations.push(conversation);
      return jsonResponse(201, { conversation: conversationView(context.state, conversation) });
    },
  },
  {
    method: 'GET',
    pattern: `${sunshinePrefix}/conversations`,
    handle({ context, query }) {
      const reference = query['filter[userId]'] ?? query['filter[userExternalId]'];
      if (reference === undefined) return badRequest('filter[userId] or filter[userExternalId] is required');
      const user = findUser(context.state, reference);
      if (user === undefined) return refuse(sunshineErrors.notFound('user_not_found', 'User not found'));
      const page = readPage(query, 10);
      const found = pageOf(
        context.state.conversations.filter((conversation) => conversation.participants.includes(user.id)),
        page,
        `${context.baseUrl}/sc/v2/apps/${context.state.appId}/conversations`,
      );
      return jsonResponse(200, {
        conversations: found.items.map((conversation) => conversationView(context.state, conversation)),
        meta: found.meta,
        links: found.links,
      });
    },
  },
  {
    method: 'GET',
    pattern: `${sunshinePrefix}/conversations/:conversationId`,
    handle({ context, path }) {
      const conversation = conversationOrRefuse(context, path.conversationId);
      return jsonResponse(200, { conversation: conversationView(context.state, conversation) });
    },
  },
  {
    method: 'GET',
    pattern: `${sunshinePrefix}/conversations/:conversationId/participants`,
    handle({ context, path, query }) {
      const conversation = conversationOrRefuse(context, path.conversationId);
      const participants = conversation.participants.map((userId) => ({
        id: `${conversation.id.slice(0, 12)}${userId.slice(12)}`,
        userId,
        unreadCount: 0,
        lastRead: null,
        clientAssociations: [],
      }));
      const found = pageOf(participants, readPage(query, 10), `${context.baseUrl}${conversation.id}`);
      return jsonResponse(200, { participants: found.items, meta: found.meta, links: found.links });
    },
  },
];

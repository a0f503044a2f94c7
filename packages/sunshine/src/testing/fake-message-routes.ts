import { jsonResponse, refuse } from '@handoff/fake-server';
import { type FakeSunshineContext, type FakeSunshineRoute, sunshinePrefix } from './fake-context.js';
import { conversationOrRefuse } from './fake-conversation-routes.js';
import { badRequest, sunshineErrors } from './fake-errors.js';
import { sunshineId } from './fake-ids.js';
import { pageOf, readPage } from './fake-pages.js';
import type { FakeAuthor, FakeConversation, FakeMessage, FakeMetadata } from './fake-records.js';
import { activateDefault, readMetadata } from './fake-switchboard.js';
import { conversationTruncatedView, messageView, messageWebhookView } from './fake-views.js';
import { reachesUs } from './fake-webhook-delivery.js';

/** The most messages a conversation holds (spec PostMessage 423). */
const messageLimit = 30_000;

/** `author` of messagePost: a participant user, or the business (with an optional display name). */
function readAuthor(conversation: FakeConversation, value: unknown): FakeAuthor {
  const author = (value ?? {}) as Record<string, unknown>;
  if (author.type === 'user') {
    if (typeof author.userId !== 'string' || !conversation.participants.includes(author.userId))
      return badRequest('author.userId must be a participant of the conversation');
    return { type: 'user', userId: author.userId };
  }
  if (author.type === 'business') {
    if (
      author.displayName !== undefined &&
      (typeof author.displayName !== 'string' || author.displayName.length > 128)
    )
      return badRequest('author.displayName must be a string of 128 characters at most');
    return {
      type: 'business',
      ...(typeof author.displayName === 'string' ? { displayName: author.displayName } : {}),
    };
  }
  return badRequest('author.type must be user or business');
}

/** `textMessage`: a text of 1 to 4096 characters (spec textMessage.text maxLength 4096). */
function readText(value: unknown): string {
  const content = (value ?? {}) as Record<string, unknown>;
  if (content.type !== 'text') return badRequest('content.type must be text (the fake takes texts only)');
  if (typeof content.text !== 'string' || content.text.trim() === '')
    return badRequest('content.text is required');
  if (content.text.length > 4096) return badRequest('content.text must be 4096 characters at most');
  return content.text;
}

/**
 * Stores a message and sends its `conversation:message` where it goes: our webhook while we are
 * active or get standby events. A user's message in a conversation nobody holds goes to the default integration.
 */
export function addMessage(
  context: FakeSunshineContext,
  conversation: FakeConversation,
  message: Omit<FakeMessage, 'id' | 'received'>,
): FakeMessage {
  if (conversation.messages.length >= messageLimit) return refuse(sunshineErrors.locked());
  const stored: FakeMessage = { id: sunshineId(), received: new Date().toISOString(), ...message };
  conversation.messages.push(stored);
  if (stored.author.type === 'user') activateDefault(context, conversation);
  if (reachesUs(context.state, conversation)) {
    context.webhooks.emit([
      {
        type: 'conversation:message',
        payload: {
          conversation: conversationTruncatedView(context.state, conversation),
          message: messageWebhookView(context.state, stored),
        },
      },
    ]);
  }
  return stored;
}

/** PostMessage and ListMessages (spec tag Messages). */
export const messageRoutes: FakeSunshineRoute[] = [
  {
    method: 'POST',
    pattern: `${sunshinePrefix}/conversations/:conversationId/messages`,
    handle({ context, path, body }) {
      const conversation = conversationOrRefuse(context, path.conversationId);
      const input = (body ?? {}) as Record<string, unknown>;
      const author = readAuthor(conversation, input.author);
      const text = readText(input.content);
      const metadata: FakeMetadata | undefined = readMetadata(input.metadata);
      const destination = input.destination as Record<string, unknown> | undefined;
      const message = addMessage(context, conversation, {
        author,
        content: { type: 'text', text },
        // Posted with an app key: the API is the source (an integration key would add its id).
        source: { type: 'api' },
        metadata,
        silent: destination?.integrationType === 'none',
      });
      return jsonResponse(201, { messages: [messageView(message)] });
    },
  },
  {
    method: 'GET',
    pattern: `${sunshinePrefix}/conversations/:conversationId/messages`,
    handle({ context, path, query }) {
      const conversation = conversationOrRefuse(context, path.conversationId);
      const page = readPage(query, 100);
      // The page size is fixed at 100, latest page first, paged backwards (spec ListMessages).
      const found = pageOf(
        conversation.messages,
        { ...page, size: 100 },
        `${context.baseUrl}/messages`,
        true,
      );
      return jsonResponse(200, {
        messages: found.items.map(messageView),
        meta: found.meta,
        links: found.links,
      });
    },
  },
];

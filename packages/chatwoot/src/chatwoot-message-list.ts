import type { ChatwootClient } from './chatwoot-client.js';
import { messageListResponseSchema } from './chatwoot-responses.js';

type ListedMessage = { id: number; source_id?: string | null | undefined };

/**
 * A conversation's messages after `after`, oldest first (`after` 0: all), page by page, with the
 * user token: listing messages is not among the endpoints an agent bot may call (`BOT_ACCESSIBLE_ENDPOINTS`).
 */
export async function listMessages(
  client: ChatwootClient,
  operation: string,
  conversationId: string,
  after: number,
  signal: AbortSignal | undefined,
): Promise<ListedMessage[]> {
  const found: ListedMessage[] = [];
  let cursor = after;
  for (let page = 0; page < 100; page += 1) {
    const { payload } = await client.call({
      operation,
      method: 'GET',
      path: `/conversations/${conversationId}/messages`,
      query: { after: cursor },
      token: 'user',
      schema: messageListResponseSchema,
      signal,
    });
    found.push(...payload);
    const last = payload.at(-1);
    if (payload.length < 100 || last === undefined || last.id <= cursor) break;
    cursor = last.id;
  }
  return found;
}

/** Every `source_id` already in the conversation (the slow path, only when recovering). */
export async function existingSourceIds(
  client: ChatwootClient,
  operation: string,
  conversationId: string,
  signal: AbortSignal | undefined,
): Promise<Set<string>> {
  const messages = await listMessages(client, operation, conversationId, 0, signal);
  return new Set(
    messages.map((message) => message.source_id).filter((id): id is string => typeof id === 'string'),
  );
}

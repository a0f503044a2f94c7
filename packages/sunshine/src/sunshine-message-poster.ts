import type { TranscriptMessage } from '@handoff/core';
import { type ConversationActions, type MessageAuthor, ownKeyOf } from './sunshine-conversation-actions.js';
import { metadataKeys } from './sunshine-metadata.js';

export interface PostOnceOptions {
  operation: string;
  conversationId: string;
  messages: readonly TranscriptMessage[];
  recover: boolean | undefined;
  authorOf: (message: TranscriptMessage) => Promise<MessageAuthor> | MessageAuthor;
  signal?: AbortSignal | undefined;
}

/**
 * Posts transcript messages once each: the keys this instance posted are skipped, and with
 * `recover` so are those the conversation already holds (read back by their `handoff_message_id`).
 */
export function createMessagePoster(actions: ConversationActions) {
  const posted = new Map<string, Set<string>>();
  const poster = {
    wasPosted: (conversationId: string, key: string) => posted.get(conversationId)?.has(key) ?? false,
    remember(conversationId: string, key: string) {
      let keys = posted.get(conversationId);
      if (keys === undefined) {
        keys = new Set();
        posted.set(conversationId, keys);
      }
      keys.add(key);
    },
    async post(options: PostOnceOptions): Promise<Array<{ id: string; supportMessageId: string }>> {
      const { operation, conversationId, signal } = options;
      const keys = options.messages.map((message) => `${metadataKeys.messageId}:${message.id}`);
      const existing = options.recover
        ? new Set(
            (
              await actions.messages(operation, conversationId, signal, (read) => {
                const found = new Set(read.map(ownKeyOf));
                return keys.every((key) => found.has(key));
              })
            ).map(ownKeyOf),
          )
        : undefined;
      const result: Array<{ id: string; supportMessageId: string }> = [];
      for (const [index, message] of options.messages.entries()) {
        const key = keys[index] as string;
        if (poster.wasPosted(conversationId, key) || existing?.has(key)) continue;
        const supportMessageId = await actions.postText(
          operation,
          conversationId,
          {
            author: await options.authorOf(message),
            text: message.text,
            metadata: { [metadataKeys.messageId]: message.id },
          },
          signal,
        );
        poster.remember(conversationId, key);
        result.push({ id: message.id, supportMessageId });
      }
      return result;
    },
  };
  return poster;
}

import { SupportError, type TranscriptMessage } from '@handoff/core';
import { FormData } from '@handoff/http';
import type { Dispatcher } from 'undici';
import { downloadAttachment } from './attachment-download.js';
import type { ChatwootClient } from './chatwoot-client.js';
import { messageSchema } from './chatwoot-responses.js';
import { createMessageThrottle } from './message-throttle.js';

/** Chatwoot's default upload limit (MAXIMUM_FILE_UPLOAD_SIZE, 40 MB). */
export const maxAttachmentBytes = 40 * 1024 * 1024;

export interface MessagePosterSettings {
  client: ChatwootClient;
  /** Messages per conversation per minute (Chatwoot refuses more than 200). */
  perMinute: number;
  dispatcher: Dispatcher | undefined;
  requestTimeoutMs: number;
}

/**
 * Posts one message into a conversation: throttled per conversation, as JSON, or as multipart
 * with the files downloaded when it has attachments. Answers the id Chatwoot gave it.
 */
export function createMessagePoster(settings: MessagePosterSettings) {
  const throttle = createMessageThrottle({ perMinute: settings.perMinute });
  return async (
    operation: string,
    conversationId: string,
    body: Record<string, string | boolean | number>,
    message: Pick<TranscriptMessage, 'attachments'>,
    signal?: AbortSignal,
  ): Promise<number> => {
    try {
      await throttle.acquire(conversationId, signal);
    } catch (error) {
      throw new SupportError({
        code: 'aborted',
        message: `chatwoot ${operation} was aborted`,
        provider: 'chatwoot',
        operation,
        cause: error,
      });
    }
    let form: FormData | undefined;
    if ((message.attachments?.length ?? 0) > 0) {
      form = new FormData();
      for (const [name, value] of Object.entries(body)) form.append(name, String(value));
      for (const attachment of message.attachments ?? []) {
        const file = await downloadAttachment(attachment, {
          dispatcher: settings.dispatcher,
          maxBytes: maxAttachmentBytes,
          timeoutMs: settings.requestTimeoutMs,
          signal,
        });
        form.append('attachments[]', new Blob([file.bytes], { type: file.contentType }), file.name);
      }
    }
    const created = await settings.client.call({
      operation,
      method: 'POST',
      path: `/conversations/${conversationId}/messages`,
      ...(form === undefined ? { json: body } : { form }),
      token: 'conversation',
      schema: messageSchema,
      signal,
    });
    return created.id;
  };
}

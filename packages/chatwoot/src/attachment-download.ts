import { type Attachment, isSupportError, SupportError } from '@handoff/core';
import { createHttpClient } from '@handoff/http';
import type { Dispatcher } from 'undici';

export interface DownloadedAttachment {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/** The name a file is uploaded under: its own, or the last segment of its URL. */
function attachmentName(attachment: Attachment): string {
  if (attachment.name !== undefined) return attachment.name;
  const segment = new URL(attachment.url).pathname.split('/').filter(Boolean).at(-1);
  return segment === undefined ? 'attachment' : decodeURIComponent(segment);
}

/**
 * Fetches a user's file so it can be uploaded to Chatwoot (which stores files; it does not link
 * them). Over `maxBytes` is an `invalid_request`; an unreachable file host is retryable.
 */
export async function downloadAttachment(
  attachment: Attachment,
  options: {
    dispatcher?: Dispatcher | undefined;
    maxBytes: number;
    timeoutMs: number;
    signal?: AbortSignal | undefined;
  },
): Promise<DownloadedAttachment> {
  if (attachment.size !== undefined && attachment.size > options.maxBytes) {
    throw new SupportError({
      code: 'invalid_request',
      message: `attachment ${attachmentName(attachment)} is ${attachment.size} bytes; Chatwoot takes at most ${options.maxBytes}`,
      provider: 'chatwoot',
      operation: 'postMessages',
    });
  }
  const url = new URL(attachment.url);
  const http = createHttpClient({
    provider: 'chatwoot',
    baseUrl: url.origin,
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxBytes,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
  let response: Awaited<ReturnType<typeof http.send>>;
  try {
    response = await http.send({
      operation: 'postMessages',
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      headers: { accept: '*/*' },
      signal: options.signal,
    });
  } catch (error) {
    if (isSupportError(error) && error.code === 'invalid_response') {
      throw new SupportError({
        code: 'invalid_request',
        message: `attachment ${attachmentName(attachment)} is larger than ${options.maxBytes} bytes`,
        provider: 'chatwoot',
        operation: 'postMessages',
      });
    }
    throw error;
  }
  if (response.status !== 200) {
    throw new SupportError({
      code: response.status >= 500 ? 'unavailable' : 'invalid_request',
      message: `attachment ${attachmentName(attachment)} could not be fetched: HTTP ${response.status}`,
      status: response.status,
      provider: 'chatwoot',
      operation: 'postMessages',
    });
  }
  return { name: attachmentName(attachment), contentType: attachment.contentType, bytes: response.bytes };
}

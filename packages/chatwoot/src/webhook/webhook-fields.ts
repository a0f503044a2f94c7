import type { Attachment, UnreadablePart } from '@handoff/core';
import { attachmentSchema, unreadableFrom } from './chatwoot-webhook-payload.js';

/** The inbox of a payload: `inbox.id` (messages), `inbox_id` (conversations), `conversation.inbox_id`. */
export function inboxOf(payload: Record<string, unknown>): number | undefined {
  const inbox = payload.inbox as { id?: unknown } | undefined;
  if (typeof inbox?.id === 'number') return inbox.id;
  if (typeof payload.inbox_id === 'number') return payload.inbox_id;
  const conversation = payload.conversation as { inbox_id?: unknown } | undefined;
  return typeof conversation?.inbox_id === 'number' ? conversation.inbox_id : undefined;
}

/** `created_at`: ISO text in webhooks, epoch seconds in REST answers. */
export function createdAt(value: number | string | null | undefined): string | undefined {
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return undefined;
}

function fileName(url: string): string | undefined {
  try {
    const segment = new URL(url).pathname.split('/').filter(Boolean).at(-1);
    return segment === undefined ? undefined : decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Common file types by extension, for releases whose payloads carry no `content_type` (before 4.13.0). */
const typesByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
};

/** The file's type: Chatwoot's `content_type` (4.13.0+), else what its name says, else bytes. */
function contentTypeOf(contentType: string | null | undefined, name: string | undefined): string {
  if (contentType != null && contentType !== '') return contentType;
  const extension = name?.split('.').at(-1)?.toLowerCase();
  return (extension === undefined ? undefined : typesByExtension[extension]) ?? 'application/octet-stream';
}

/**
 * A message's files, each read on its own: a file without a URL (no file attached in Chatwoot), a
 * `null` entry or one of the wrong shape is reported as unreadable and left out, and the rest of
 * the message still goes through.
 */
export function readAttachments(
  raw: readonly unknown[] | null | undefined,
  eventId: string,
): { attachments: Attachment[] | undefined; unreadable: UnreadablePart[] } {
  const attachments: Attachment[] = [];
  const unreadable: UnreadablePart[] = [];
  (raw ?? []).forEach((entry, index) => {
    const parsed = attachmentSchema.safeParse(entry);
    if (!parsed.success) {
      unreadable.push(unreadableFrom(parsed.error, `attachments[${index}]`, eventId));
      return;
    }
    const name = fileName(parsed.data.data_url);
    attachments.push({
      url: parsed.data.data_url,
      contentType: contentTypeOf(parsed.data.content_type, name),
      ...(name === undefined ? {} : { name }),
      ...(parsed.data.file_size == null ? {} : { size: parsed.data.file_size }),
    });
  });
  return { attachments: attachments.length === 0 ? undefined : attachments, unreadable };
}

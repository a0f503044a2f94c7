import type { FakeHttpResponse } from '@handoff/fake-server';
import type { FakeContext } from './fake-context.js';
import { chatwootErrors } from './fake-errors.js';
import type { FakeAttachment } from './fake-records.js';

const redirectPath =
  /^\/rails\/active_storage\/(?:blobs\/redirect|representations\/redirect)\/([^/]+)\/(?:[^/]+\/)?[^/]+$/;
const diskPath = /^\/rails\/active_storage\/disk\/([^/]+)\/[^/]+$/;

function findAttachment(context: FakeContext, key: string): FakeAttachment | undefined {
  for (const conversation of context.state.conversations) {
    for (const message of conversation.messages) {
      const attachment = message.attachments.find((candidate) => candidate.key === key);
      if (attachment !== undefined) return attachment;
    }
  }
  return undefined;
}

/**
 * ActiveStorage URLs, public like Chatwoot's signed ones: `data_url` (blobs/redirect) and
 * `thumb_url` (representations/redirect) answer 302 to the disk service URL, which serves the
 * bytes. The thumbnail is the original file: the fake does not resize. Undefined: not such a URL.
 */
export function serveAttachment(
  context: FakeContext,
  method: string,
  pathname: string,
): FakeHttpResponse | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const redirect = redirectPath.exec(pathname);
  const disk = diskPath.exec(pathname);
  const key = redirect?.[1] ?? disk?.[1];
  if (key === undefined) return undefined;
  const attachment = findAttachment(context, key);
  if (attachment === undefined) return chatwootErrors.notFound();
  const filename = encodeURIComponent(attachment.filename);
  if (redirect !== null) {
    return {
      status: 302,
      headers: { location: `${context.baseUrl}/rails/active_storage/disk/${attachment.key}/${filename}` },
      body: '',
    };
  }
  return {
    status: 200,
    headers: {
      'content-type': attachment.contentType,
      'content-disposition': `inline; filename*=UTF-8''${filename}`,
    },
    body: attachment.data,
  };
}

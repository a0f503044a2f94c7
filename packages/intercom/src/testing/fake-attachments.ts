import { type FakeHttpResponse, refuse } from '@handoff/fake-server';
import type { FakeContext } from './fake-context.js';
import { intercomErrors } from './fake-errors.js';
import { type Body, hasField, isRecord } from './fake-params.js';
import type { FakeAttachment, FakeFileInfo } from './fake-records.js';
import { takeId } from './fake-state.js';

/**
 * Attachments of parts (`part_attachment`). Intercom downloads `attachment_urls` and re-hosts the
 * files; the fake does not go to the network: it keeps the URL, takes what it was told about the
 * file (`FakeIntercom.registerFile`) or else guesses the name and type from the URL.
 */

const typesByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
};

function lastSegment(url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).at(-1);
  return last === undefined ? 'attachment' : decodeURIComponent(last);
}

function guessedType(name: string): string {
  const extension = name.includes('.') ? name.split('.').at(-1)?.toLowerCase() : undefined;
  return (extension === undefined ? undefined : typesByExtension[extension]) ?? 'application/octet-stream';
}

export function attachmentFromUrl(files: ReadonlyMap<string, FakeFileInfo>, url: string): FakeAttachment {
  const known = files.get(url);
  const name = known?.name ?? lastSegment(url);
  return {
    type: 'upload',
    name,
    url,
    contentType: known?.contentType ?? guessedType(name),
    filesize: known?.size ?? null,
    width: null,
    height: null,
  };
}

const invalid = (message: string): never => refuse(intercomErrors.parameterInvalid(message));

/** `attachment_files`: up to 10 `{content_type, data (base64), name}`, kept and served by the fake. */
export function attachmentsFromFiles(context: FakeContext, body: Body): FakeAttachment[] {
  if (!hasField(body, 'attachment_files')) return [];
  const files = body.attachment_files;
  if (!Array.isArray(files)) return invalid('attachment_files must be an array');
  if (files.length > 10) return invalid('You can include up to 10 attachment_files');
  const checked = files.map((file: unknown) => {
    if (
      !isRecord(file) ||
      typeof file.name !== 'string' ||
      file.name === '' ||
      typeof file.content_type !== 'string' ||
      typeof file.data !== 'string' ||
      !/^[A-Za-z0-9+/=\s]*$/.test(file.data)
    ) {
      return invalid('attachment_files need a name, a content_type and base64 data');
    }
    return { name: file.name, contentType: file.content_type, data: Buffer.from(file.data, 'base64') };
  });
  return checked.map((file) => {
    const id = takeId(context.state, 'upload');
    context.state.uploads.set(id, { id, ...file });
    return {
      type: 'upload',
      name: file.name,
      url: `${context.baseUrl}/fake-downloads/${id}/${encodeURIComponent(file.name)}`,
      contentType: file.contentType,
      filesize: file.data.length,
      width: null,
      height: null,
    };
  });
}

/** A download of an uploaded file: no token needed, like Intercom's signed file URLs. */
export function serveDownload(
  context: FakeContext,
  method: string,
  pathname: string,
): FakeHttpResponse | undefined {
  const match = /^\/fake-downloads\/(\d+)\/[^/]+$/.exec(pathname);
  if (method !== 'GET' || match === null) return undefined;
  const upload = context.state.uploads.get(match[1] ?? '');
  if (upload === undefined) return intercomErrors.notFound();
  return {
    status: 200,
    headers: { 'content-type': upload.contentType, 'content-length': String(upload.data.length) },
    body: upload.data,
  };
}

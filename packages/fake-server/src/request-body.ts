/**
 * Request bodies as a fake's routes see them: JSON, or (when the fake takes forms) multipart and
 * URL-encoded forms with their files; and the body as the request record keeps it.
 */
import type { IncomingMessage } from 'node:http';

/** A file sent in a multipart form. */
export interface UploadedFile {
  fieldName: string;
  filename: string;
  contentType: string;
  data: Uint8Array;
}

export type ParsedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | {
      kind: 'form';
      /** Every field in the order sent: text, or a file. */
      entries: ReadonlyArray<readonly [string, string | UploadedFile]>;
      /** The text fields by name (the last one wins). */
      textFields: Record<string, string>;
      files: UploadedFile[];
    }
  /** Not parseable as what its content type says (or not JSON, for a fake that takes no forms). */
  | { kind: 'invalid' };

export async function readRawBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const isForm = (type: string) =>
  type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded');

async function parseForm(contentType: string, raw: Uint8Array): Promise<ParsedBody> {
  const form = await new Request('http://fake-server.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  const entries: Array<readonly [string, string | UploadedFile]> = [];
  const textFields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      textFields[name] = value;
      entries.push([name, value]);
      continue;
    }
    const file: UploadedFile = {
      fieldName: name,
      filename: value.name,
      contentType: value.type === '' ? 'application/octet-stream' : value.type,
      data: new Uint8Array(await value.arrayBuffer()),
    };
    files.push(file);
    entries.push([name, file]);
  }
  return { kind: 'form', entries, textFields, files };
}

/** Parses a body by its content type: forms when `forms` is on, JSON otherwise (whatever the type says). */
export async function parseRequestBody(
  contentType: string | undefined,
  raw: Uint8Array,
  options: { forms: boolean },
): Promise<ParsedBody> {
  if (raw.length === 0) return { kind: 'empty' };
  try {
    if (options.forms && isForm((contentType ?? '').toLowerCase()))
      return await parseForm(contentType ?? '', raw);
    return { kind: 'json', value: JSON.parse(Buffer.from(raw).toString('utf8')) };
  } catch {
    return { kind: 'invalid' };
  }
}

/**
 * The body as the request record keeps it: parsed JSON; for a form its text fields, plus each file
 * field as a list of `{filename, type, size}`; undefined when empty or invalid.
 */
export function recordedBody(body: ParsedBody): unknown {
  switch (body.kind) {
    case 'empty':
    case 'invalid':
      return undefined;
    case 'json':
      return body.value;
    case 'form': {
      const files: Record<string, Array<{ filename: string; type: string; size: number }>> = {};
      for (const file of body.files) {
        const summary = { filename: file.filename, type: file.contentType, size: file.data.length };
        files[file.fieldName] = [...(files[file.fieldName] ?? []), summary];
      }
      return { ...body.textFields, ...files };
    }
  }
}

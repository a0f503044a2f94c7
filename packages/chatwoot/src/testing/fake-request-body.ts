import type { IncomingMessage } from 'node:http';

export interface UploadedFile {
  fieldName: string;
  filename: string;
  contentType: string;
  data: Uint8Array;
}

/** A request body as the fake's routes see it. */
export type ParsedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | {
      kind: 'form';
      /** Parameters with Rails' bracket names expanded (`a[b]` → `{a:{b}}`, `a[]` → array). */
      params: Record<string, unknown>;
      /** The text fields exactly as named in the form. */
      textFields: Record<string, string>;
      files: UploadedFile[];
    }
  | { kind: 'invalid' };

export async function readRawBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `attachments[]` → ['attachments', ''], `a[b][c]` → ['a', 'b', 'c']. */
function splitParamName(name: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (match === null) return [name];
  const rest = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1] ?? '');
  return [match[1] ?? name, ...rest];
}

function assignParam(target: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  if (rest[0] === '') {
    const list = Array.isArray(target[head]) ? (target[head] as unknown[]) : [];
    list.push(value);
    target[head] = list;
    return;
  }
  const existing = target[head];
  const nested =
    typeof existing === 'object' && existing !== null && !Array.isArray(existing)
      ? (existing as Record<string, unknown>)
      : {};
  assignParam(nested, rest, value);
  target[head] = nested;
}

async function parseForm(contentType: string, raw: Uint8Array): Promise<ParsedBody> {
  const form = await new Request('http://fake-chatwoot.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  const params: Record<string, unknown> = {};
  const textFields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      textFields[name] = value;
      assignParam(params, splitParamName(name), value);
      continue;
    }
    const file: UploadedFile = {
      fieldName: name,
      filename: value.name,
      contentType: value.type === '' ? 'application/octet-stream' : value.type,
      data: new Uint8Array(await value.arrayBuffer()),
    };
    files.push(file);
    assignParam(params, splitParamName(name), file);
  }
  return { kind: 'form', params, textFields, files };
}

export async function parseBody(contentType: string | undefined, raw: Uint8Array): Promise<ParsedBody> {
  if (raw.length === 0) return { kind: 'empty' };
  const type = (contentType ?? '').toLowerCase();
  try {
    if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
      return await parseForm(contentType ?? '', raw);
    }
    return { kind: 'json', value: JSON.parse(Buffer.from(raw).toString('utf8')) };
  } catch {
    return { kind: 'invalid' };
  }
}

/** The body as `requests` records it: parsed JSON, or the form's text fields plus `attachments[]`. */
export function recordedBody(body: ParsedBody): unknown {
  switch (body.kind) {
    case 'empty':
    case 'invalid':
      return undefined;
    case 'json':
      return body.value;
    case 'form':
      return {
        ...body.textFields,
        ...(body.files.length === 0
          ? {}
          : {
              'attachments[]': body.files.map((file) => ({
                filename: file.filename,
                type: file.contentType,
                size: file.data.length,
              })),
            }),
      };
  }
}

/**
 * Rails' `params` of a request: the query and the body merged (the body wins), with a form's
 * bracket names expanded (`a[b]` → `{a:{b}}`, `a[]` → an array) and its files in place.
 */
import type { ParsedBody, UploadedFile } from '@handoff/fake-server';
import type { Params } from './fake-params.js';

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

function formParams(entries: ReadonlyArray<readonly [string, string | UploadedFile]>): Params {
  const params: Params = {};
  for (const [name, value] of entries) assignParam(params, splitParamName(name), value);
  return params;
}

export function railsParams(body: ParsedBody, query: Record<string, string>): Params {
  if (body.kind === 'form') return { ...query, ...formParams(body.entries) };
  if (
    body.kind === 'json' &&
    typeof body.value === 'object' &&
    body.value !== null &&
    !Array.isArray(body.value)
  ) {
    return { ...query, ...(body.value as Params) };
  }
  return { ...query };
}

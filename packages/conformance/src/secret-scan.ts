import { inspect } from 'node:util';

/** The forms a credential takes on the wire: as it is, URL-encoded, and in base64 (Basic auth). */
function forms(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64').replace(/=+$/, '');
  return [
    ...new Set([secret, encodeURIComponent(secret), base64, base64.replace(/\+/g, '-').replace(/\//g, '_')]),
  ];
}

/** How a credential is named in a report: its position and first characters, never all of it. */
export function nameSecret(secrets: readonly string[], secret: string): string {
  return `credential ${secrets.indexOf(secret) + 1} of the harness ("${secret.slice(0, 4)}…")`;
}

/** The first credential found in `text`, if any. */
export function secretIn(text: string, secrets: readonly string[]): string | undefined {
  return secrets.find((secret) => forms(secret).some((form) => text.includes(form)));
}

/** The parts of an error a user or a log can see: message, stack, vendor body, every cause. */
function visibleParts(error: unknown): Array<[string, string]> {
  const parts: Array<[string, string]> = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  let path = 'the error';
  while (current !== undefined && current !== null && !seen.has(current) && seen.size < 10) {
    seen.add(current);
    if (current instanceof Error) {
      parts.push([`${path}'s message`, current.message]);
      parts.push([`${path}'s stack`, current.stack ?? '']);
      const record = current as unknown as Record<string, unknown>;
      if ('vendorBody' in record)
        parts.push([`${path}'s vendorBody`, inspect(record.vendorBody, { depth: 12 })]);
      const json = (record.toJSON as (() => unknown) | undefined)?.call(current);
      if (json !== undefined) parts.push([`${path}'s JSON`, JSON.stringify(json) ?? '']);
      parts.push([`${path}'s properties`, inspect({ ...record }, { depth: 12 })]);
      current = (current as { cause?: unknown }).cause;
      path = path === 'the error' ? 'its cause' : `${path}'s cause`;
    } else {
      parts.push([path, inspect(current, { depth: 12 })]);
      break;
    }
  }
  return parts;
}

/** Where in `error` a credential shows, described for a report, or undefined when none does. */
export function secretLeak(error: unknown, secrets: readonly string[]): string | undefined {
  if (secrets.length === 0) return undefined;
  for (const [where, text] of visibleParts(error)) {
    const found = secretIn(text, secrets);
    if (found !== undefined) return `${nameSecret(secrets, found)} appears in ${where}`;
  }
  return undefined;
}

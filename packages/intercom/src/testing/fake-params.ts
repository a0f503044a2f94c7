import { refuse } from '@handoff/fake-server';
import { intercomErrors } from './fake-errors.js';

/**
 * Readers for JSON request fields. Each returns the value, or refuses the request with the 400
 * Intercom sends for a field of the wrong type. The 2.14 spec shows only "Body is required" and
 * "conversation_id is required" as `parameter_invalid` messages; the others follow their wording
 * (our inference).
 */

export type Body = Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const invalid = (message: string): never => refuse(intercomErrors.parameterInvalid(message));

/** The request body as an object; no body reads as `{}`. */
export function bodyObject(value: unknown): Body {
  if (value === undefined) return {};
  return isRecord(value) ? value : invalid('Request body must be a JSON object');
}

/** Present: neither missing nor null. */
export const hasField = (body: Body, name: string): boolean =>
  body[name] !== undefined && body[name] !== null;

export function optionalString(body: Body, name: string): string | undefined {
  if (!hasField(body, name)) return undefined;
  const value = body[name];
  return typeof value === 'string' ? value : invalid(`${name} must be a string`);
}

/** An id field: the schemas type it as a string, the examples send numbers (facts §0). Both pass. */
export function requiredId(body: Body, name: string): string {
  const value = body[name];
  if (value === undefined || value === null || value === '') return invalid(`${name} is required`);
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string') return value.trim();
  return invalid(`${name} must be a string or an integer`);
}

export function optionalInteger(body: Body, name: string): number | undefined {
  if (!hasField(body, name)) return undefined;
  const value = body[name];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return invalid(`${name} must be an integer`);
}

export function optionalBoolean(body: Body, name: string): boolean | undefined {
  if (!hasField(body, name)) return undefined;
  const value = body[name];
  return typeof value === 'boolean' ? value : invalid(`${name} must be a boolean`);
}

export function optionalObject(body: Body, name: string): Record<string, unknown> | undefined {
  if (!hasField(body, name)) return undefined;
  const value = body[name];
  return isRecord(value) ? value : invalid(`${name} must be an object`);
}

/** One of the allowed values, or a 400 naming them. */
export function oneOf<Value extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly Value[],
): Value {
  if (value === undefined) return invalid(`${name} is required`);
  return (allowed as readonly string[]).includes(value)
    ? (value as Value)
    : invalid(`${name} must be one of ${allowed.join(', ')}`);
}

/** `attachment_urls`: at most 10 http(s) URLs (spec `maxItems: 10`, `format: uri`). */
export function attachmentUrls(body: Body): string[] {
  if (!hasField(body, 'attachment_urls')) return [];
  const value = body.attachment_urls;
  if (!Array.isArray(value)) return invalid('attachment_urls must be an array');
  if (value.length > 10) return invalid('You can include up to 10 attachment_urls');
  return value.map((item: unknown) =>
    typeof item === 'string' && /^https?:\/\//i.test(item) && URL.canParse(item)
      ? item
      : invalid(`attachment_urls contains an invalid URL: ${String(item)}`),
  );
}

/** A body text that must be there and not blank (facts §3: "Body is required"). */
export function requiredBodyText(body: Body): string {
  const value = body.body;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return invalid('Body is required');
  }
  return typeof value === 'string' ? value : invalid('body must be a string');
}

/** An optional body text (assignment and close parts). Blank reads as absent. */
export function optionalBodyText(body: Body): string | undefined {
  const value = optionalString(body, 'body');
  return value === undefined || value.trim() === '' ? undefined : value;
}

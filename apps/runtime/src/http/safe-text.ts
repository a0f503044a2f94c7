import { z } from 'zod';
import { findInJson } from './json-walk.js';

const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const nulMessage = 'must not contain NUL characters';
const unpairedSurrogateMessage = 'must not contain unpaired UTF-16 surrogates';

/**
 * Why `value` is not text every store and support system keeps as it is: a NUL (SQL databases
 * refuse it) or an unpaired UTF-16 surrogate (not encodable as UTF-8). Undefined when it is.
 * Bytes that are not UTF-8 never get this far: the body parser and the URL checks refuse them.
 */
export function unsafeTextReason(value: string): string | undefined {
  if (value.includes('\u0000')) return nulMessage;
  if (unpairedSurrogate.test(value)) return unpairedSurrogateMessage;
  return undefined;
}

/** Adds the text rule to a string schema (plain, or a format such as `z.url()`). */
function withTextRule<Schema extends z.ZodString | z.ZodStringFormat>(schema: Schema): Schema {
  return schema
    .refine((value) => !value.includes('\u0000'), nulMessage)
    .refine((value) => !unpairedSurrogate.test(value), unpairedSurrogateMessage) as Schema;
}

/** A string field of a request (id, name, note, text, query or path parameter) under the text rule. */
export function safeText(): z.ZodString {
  return withTextRule(z.string());
}

/**
 * Puts every string of a schema defined elsewhere (attachments, the user profile: core's
 * schemas) under the text rule, property names included, naming the first offending field.
 */
export function withSafeStrings<Schema extends z.ZodType>(schema: Schema): Schema {
  return schema.superRefine((value, context) => {
    const found = findInJson(value, unsafeTextReason);
    if (found === undefined) return;
    context.addIssue({
      code: 'custom',
      path: found.path,
      message: found.propertyName ? `property names ${found.detail}` : found.detail,
    });
  }) as Schema;
}

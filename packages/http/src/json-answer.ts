import type { z } from 'zod';
import { type ErrorContext, invalidResponseError } from './error-mapping.js';

/** A body as JSON when it is JSON, else the text itself. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Reads a successful answer with a minimal schema: a body that is not JSON, or not the expected
 * shape, is an `invalid_response` SupportError naming the first field that is wrong.
 */
export function readJsonAnswer<Schema extends z.ZodType>(
  context: ErrorContext,
  text: string,
  schema: Schema,
): z.output<Schema> {
  const body = parseJsonText(text);
  if (typeof body === 'string')
    throw invalidResponseError(context, 'the body is not JSON', text.slice(0, 500));
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidResponseError(
      context,
      `${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'unexpected shape'}`,
      body,
    );
  }
  return parsed.data;
}

// The text of a message: its schema and longest length.

import { z } from 'zod';

/** Longest text a message may carry (Chatwoot's limit, the tightest of the supported systems). */
export const maxMessageTextLength = 150_000;

const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Message text as every support system can store it: at most 150,000 characters, no NUL (SQL
 * databases refuse it) and no unpaired UTF-16 surrogate (not encodable as UTF-8). Emoji, RTL text
 * and other Unicode are kept as they are.
 */
export const messageTextSchema = z
  .string()
  .max(maxMessageTextLength)
  .refine((text) => !text.includes('\u0000'), 'must not contain NUL characters')
  .refine((text) => !unpairedSurrogate.test(text), 'must not contain unpaired UTF-16 surrogates');

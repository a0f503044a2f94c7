// The notice texts a configuration (and each chatbot of the registry) may replace, and by locale.
import { defaultNoticeTexts, type NoticeCode } from '@handoff/core';
import { z } from 'zod';

/** Notice texts by code; an unknown code is an error (a typo would otherwise be silently ignored). */
export const noticeTextsSchema = z.strictObject(
  Object.fromEntries(
    Object.keys(defaultNoticeTexts).map((code) => [code, z.string().trim().min(1).max(2_000).optional()]),
  ) as Record<NoticeCode, z.ZodOptional<z.ZodString>>,
);

/** Notice texts by locale (`de`, `pt-BR`): a user's locale picks its texts, else its language's. */
export const localesSchema = z.record(
  z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a locale such as de or pt-BR'),
  noticeTextsSchema,
);

// Request schemas of the admin API of chatbots (paths, queries, headers); bodies are chatbot-settings'.
import { z } from 'zod';
import { chatbotIdSchema } from '../chatbots/chatbot-settings.js';

export const botParamsSchema = z.object({ bot: chatbotIdSchema });

export const botListQuerySchema = z.object({
  /** Chatbots whose id sorts after this one (the `next` of the previous page). */
  after: chatbotIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `If-Match: "<revision>"`: update or delete only the revision read. */
export const ifMatchSchema = z
  .string()
  .regex(/^"?\d{1,15}"?$/, 'must be the revision read, as the ETag gave it ("3")')
  .transform((value) => Number(value.replaceAll('"', '')));

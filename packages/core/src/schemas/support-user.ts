// The end user as the support system stores them.

import { z } from 'zod';

export const userAttributeValueSchema = z.union([z.string().max(10_000), z.number(), z.boolean()]);

/** The end user as the bot knows them. `id` is the bot side's stable user id. */
export const supportUserSchema = z.object({
  id: z.string().min(1).max(255),
  name: z.string().min(1).max(255).optional(),
  email: z.email().max(255).optional(),
  /** E.164, for example `+4915112345678`. */
  phone: z
    .string()
    .regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 phone number such as +4915112345678')
    .optional(),
  locale: z.string().min(2).max(35).optional(),
  attributes: z.record(z.string().max(100), userAttributeValueSchema).optional(),
});

export type SupportUser = z.infer<typeof supportUserSchema>;

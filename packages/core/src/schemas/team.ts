// A human team of the support system.

import { z } from 'zod';

/** A human team (department, group) of the support system. `id` is the support system's own id. */
export const teamSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().optional(),
});

export type Team = z.infer<typeof teamSchema>;

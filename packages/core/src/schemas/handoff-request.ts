// The bot's request for a human: an optional team and reason.

import { z } from 'zod';

/** What a bot asks for when it wants a human: optionally a team (static transfer) and a reason. */
export const handoffRequestSchema = z.object({
  /** Support-side team id or a routing topic label. Without it the router decides. */
  team: z.string().min(1).max(255).optional(),
  reason: z.string().max(2_000).optional(),
});

export type HandoffRequest = z.infer<typeof handoffRequestSchema>;

// A file on a message, as it crosses a boundary.

import { z } from 'zod';

/** A file that travels with a message: where to fetch it and what it is. */
export const attachmentSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  contentType: z.string().min(1).max(255),
  name: z.string().min(1).max(255).optional(),
  /** Size in bytes, when known. */
  size: z.number().int().nonnegative().optional(),
});

export type Attachment = z.infer<typeof attachmentSchema>;

// A message as a model reads it: its text with its files named (never fetched: a model given a
// link might try to).

import type { Attachment } from '@handoff/core';

export function textWithFileNames(text: string, attachments: readonly Attachment[] | undefined): string {
  const files = (attachments ?? []).map((attachment) => `[file: ${attachment.name ?? 'unnamed'}]`);
  return [text, ...files].filter((part) => part.length > 0).join(' ');
}

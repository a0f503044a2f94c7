import type { ChatwootBehaviours } from '../chatwoot-versions.js';

/**
 * Message text as Chatwoot's webhooks carry it (`Messages::WebhookContentNormalizer`, used by
 * `Message#webhook_data`): a `\` before a newline (the editor's hard break) is dropped, and from
 * 4.14.2 trailing newlines too. REST answers carry the stored text, so the adapter normalises what
 * it reads back the same way and both paths give the user the same text.
 */
export function webhookContent(
  text: string,
  behaviours: Pick<ChatwootBehaviours, 'webhookContentNormalized' | 'webhookTrailingNewlinesDropped'>,
): string {
  if (!behaviours.webhookContentNormalized || text.trim() === '') return text;
  const unbroken = text.replace(/\\\r?\n/g, '\n');
  return behaviours.webhookTrailingNewlinesDropped ? unbroken.replace(/(\r?\n)+$/, '') : unbroken;
}

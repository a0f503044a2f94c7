// Which chatbot each channel token belongs to: so a token valid for one chatbot is told "forbidden"
// (403) on another chatbot's routes, not "unknown" (401).
import { createHash } from 'node:crypto';
import type { ChatbotChange } from '@handoff/core';
import type { ChatbotRegistry } from './chatbot-registry.js';

const digestOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Channel tokens of the registry's chatbots, by digest (never the tokens themselves), kept up to
 * date from the registry's changes. Lookups are in memory: a wrong token costs one hash.
 */
export function createChatbotTokenIndex(registry: ChatbotRegistry) {
  /** Token digest to chatbot id. */
  const owners = new Map<string, string>();
  /** Chatbot id to its token digests. */
  const digests = new Map<string, string[]>();
  /** Counts changes, so a slow read never overwrites a newer one. */
  const generation = new Map<string, number>();

  const forget = (bot: string) => {
    for (const digest of digests.get(bot) ?? []) if (owners.get(digest) === bot) owners.delete(digest);
    digests.delete(bot);
  };

  const index = async (bot: string) => {
    const mine = (generation.get(bot) ?? 0) + 1;
    generation.set(bot, mine);
    const found = await registry.settings(bot);
    if (generation.get(bot) !== mine) return;
    forget(bot);
    if (found === undefined) return;
    const tokens = Object.values(found.settings.channels).map((channel) => digestOf(channel.token));
    digests.set(bot, tokens);
    for (const digest of tokens) owners.set(digest, bot);
  };

  const indexAll = async () => {
    for (let page = await registry.list({ limit: 100 }); page.length > 0; ) {
      for (const view of page) if (view.source === 'admin') await index(view.id);
      page = await registry.list({ after: page.at(-1)?.id ?? '', limit: 100 });
    }
  };

  return {
    /** Reads every chatbot's tokens (at start, and after a `resync`). */
    load: indexAll,
    /** Follows one change of the registry. */
    async apply(change: ChatbotChange) {
      if (change.type === 'resync') await indexAll();
      else if (change.type === 'deleted') {
        generation.set(change.id, (generation.get(change.id) ?? 0) + 1);
        forget(change.id);
      } else await index(change.id);
    },
    /** The chatbot whose channel token `token` is, if any. */
    ownerOf(token: string): string | undefined {
      return owners.get(digestOf(token));
    },
  };
}

export type ChatbotTokenIndex = ReturnType<typeof createChatbotTokenIndex>;

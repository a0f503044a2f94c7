import type { NoticeTexts } from '@handoff/core';
import type { RuntimeConfig } from './runtime-config.js';

type Texts = Partial<NoticeTexts>;

/** `de-CH` and `de_ch` alike: lower case, dashes. */
const normalise = (locale: string) => locale.trim().replaceAll('_', '-').toLowerCase();

function forLocale(locales: Record<string, Texts> | undefined, locale: string): Texts | undefined {
  if (locales === undefined) return undefined;
  for (const [tag, texts] of Object.entries(locales)) if (normalise(tag) === locale) return texts;
  return undefined;
}

/**
 * The notice texts of a channel for a user's locale. Later wins: the global texts, the channel's,
 * then the language's (`de` for `de-CH`: global, then the channel's), then the exact locale's. A
 * text in the user's language beats one configured more specifically in another.
 */
export function createNoticeTexts(config: Pick<RuntimeConfig, 'notices' | 'locales' | 'channels'>) {
  return ({ channelId, locale }: { channelId: string; locale?: string }): Texts => {
    const channel = config.channels[channelId];
    const layers: Array<Texts | undefined> = [config.notices, channel?.notices];
    if (locale !== undefined && locale.trim() !== '') {
      const exact = normalise(locale);
      const language = exact.split('-')[0] ?? exact;
      layers.push(forLocale(config.locales, language), forLocale(channel?.locales, language));
      if (language !== exact)
        layers.push(forLocale(config.locales, exact), forLocale(channel?.locales, exact));
    }
    return Object.assign({}, ...layers.filter((layer) => layer !== undefined));
  };
}

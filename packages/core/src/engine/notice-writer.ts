// The notices of one engine: its texts (per channel and locale) filled in, and how it names teams.

import type { SkillRouter } from '../routing/skill-router.js';
import type { HandoffSession, OutboundMessage } from '../session/handoff-session.js';
import type { HandoffEngineSettings } from './engine-types.js';
import { defaultNoticeTexts, formatNotice, type NoticeCode, type NoticeTexts } from './notices.js';

export interface NoticeWriterSettings {
  /** Replacement texts, or a function giving them per channel and locale. */
  notices: HandoffEngineSettings['notices'];
  router: Pick<SkillRouter, 'labelOf'>;
  now: () => Date;
}

export interface NoticeWriter {
  /** The notice `code` for the user of `session`, with a stable `id` and its placeholders filled. */
  notice(
    session: HandoffSession,
    code: NoticeCode,
    id: string,
    values?: Record<string, string>,
  ): OutboundMessage;
  /** How the user reads a team: its label, else the configured one, else its id. */
  teamName(team: string | undefined, label: string | undefined): string;
}

export function createNoticeWriter(settings: NoticeWriterSettings): NoticeWriter {
  const { router, now } = settings;

  const noticeTexts = (session: HandoffSession): NoticeTexts => {
    const locale = session.profile?.locale;
    const overrides =
      typeof settings.notices === 'function'
        ? settings.notices(
            locale === undefined
              ? { channelId: session.channelId }
              : { channelId: session.channelId, locale },
          )
        : settings.notices;
    return { ...defaultNoticeTexts, ...overrides };
  };

  return {
    notice: (session, code, id, values = {}) => ({
      id,
      kind: 'notice',
      notice: code,
      text: formatNotice(noticeTexts(session)[code], values),
      createdAt: now().toISOString(),
    }),
    teamName: (team, label) =>
      label ?? (team === undefined ? 'a person' : (router.labelOf(team) ?? `team ${team}`)),
  };
}

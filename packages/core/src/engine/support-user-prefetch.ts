// Finding or creating the user in the support system while the team's availability is asked: the
// two do not depend on each other, and the conversation needs the user, so the handoff waits for
// one round trip instead of two. Only a head start: the delivery that opens the conversation takes
// the answer if there is one and asks itself otherwise (after a restart, or when it failed).

import type { SupportAdapter } from '../contract/support-adapter.js';
import type { UserProfile } from '../session/handoff-session.js';

export interface SupportUserPrefetchSettings {
  support: Pick<SupportAdapter, 'ensureUser'>;
  /** See `HandoffEngineSettings.supportIntegration`. */
  supportIntegration?: string | undefined;
  /** How long an answer nobody took is kept (the handoff went another way). Default 60 s. */
  keepMs?: number;
}

/** The part of a session the prefetch reads. */
interface SessionUser {
  key: string;
  userId: string;
  profile?: UserProfile | undefined;
  supportUserId?: string | undefined;
  supportUserIntegration?: string | undefined;
}

export interface SupportUserPrefetch {
  /** Starts finding the session's support user, unless the session knows it or it is under way. */
  start(session: SessionUser): void;
  /** The support user id found for the session's user, if a prefetch was started (then forgotten). */
  take(key: string, userId: string): Promise<string> | undefined;
}

export function createSupportUserPrefetch(settings: SupportUserPrefetchSettings): SupportUserPrefetch {
  const keepMs = settings.keepMs ?? 60_000;
  const started = new Map<string, { userId: string; supportUserId: Promise<string> }>();
  return {
    start(session) {
      if (
        session.supportUserId !== undefined &&
        session.supportUserIntegration === settings.supportIntegration
      )
        return;
      if (started.get(session.key)?.userId === session.userId) return;
      const supportUserId = settings.support
        .ensureUser({ user: { ...session.profile, id: session.userId } })
        .then((answer) => answer.supportUserId);
      // A failure is the delivery's to report: it asks again.
      supportUserId.catch(() => undefined);
      const entry = { userId: session.userId, supportUserId };
      started.set(session.key, entry);
      const forget = setTimeout(() => {
        if (started.get(session.key) === entry) started.delete(session.key);
      }, keepMs);
      forget.unref?.();
    },
    take(key, userId) {
      const entry = started.get(key);
      if (entry?.userId !== userId) return undefined;
      started.delete(key);
      return entry.supportUserId;
    },
  };
}

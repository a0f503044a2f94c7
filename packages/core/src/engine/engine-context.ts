import type { BotConnector } from '../contract/bot-connector.js';
import type { ChannelSink } from '../contract/channel-sink.js';
import type { NewOutboxItem, Outbox } from '../contract/outbox.js';
import type { SessionStore, StoredSession } from '../contract/session-store.js';
import type { SupportAdapter } from '../contract/support-adapter.js';
import type { SkillRouter } from '../routing/skill-router.js';
import type { HandoffSession, OutboundMessage } from '../session/handoff-session.js';
import { createInMemoryStorage } from '../session/in-memory-session-store.js';
import { createKeyedMutex } from '../session/keyed-mutex.js';
import { createSession } from '../session/session-transitions.js';
import type { BusinessHours } from './business-hours.js';
import type {
  EngineTelemetryEvent,
  HandoffEngineSettings,
  SessionReference,
  TranscriptMode,
  TurnResult,
} from './engine-types.js';
import { defaultNoticeTexts, formatNotice, type NoticeCode, type NoticeTexts } from './notices.js';

const maxUpdateAttempts = 25;

/** What a session update returns: the changed session with the items it implies, or nothing to write. */
type UpdateOutcome<Result> =
  | { session: HandoffSession; items?: NewOutboxItem[]; result: Result }
  | { skip: Result };

/** Everything the parts of the engine share: its ports, its settings resolved, its helpers. */
export interface EngineContext {
  support: SupportAdapter;
  router: SkillRouter;
  bot: BotConnector;
  channel: ChannelSink;
  sessions: SessionStore;
  outbox: Outbox;
  transcriptMode: TranscriptMode;
  maxTranscript: number;
  maxTopicAttempts: number;
  returnPhrases: ReadonlySet<string>;
  checkAvailability: boolean;
  waitTimeoutMs: number;
  /** How long agent messages of an unordered system wait for earlier ones (`reorderWindowMs`). */
  reorderWindowMs: number;
  businessHours: BusinessHours | undefined;
  transferLabels: readonly string[];
  now(): Date;
  generateId(): string;
  telemetry(event: EngineTelemetryEvent): void;
  /** Runs work one at a time per session key, in this process. */
  serialize<Result>(key: string, work: () => Promise<Result>): Promise<Result>;
  /**
   * Applies `mutate` to the stored session with compare-and-set, re-reading and re-applying on
   * conflict; the items are enqueued in the same write, and the worker is woken.
   */
  update<Result>(
    key: string,
    mutate: (session: HandoffSession | undefined) => UpdateOutcome<Result>,
    options?: { read?: StoredSession | undefined },
  ): Promise<Result>;
  newSession(key: string, reference: SessionReference): HandoffSession;
  notice(
    session: HandoffSession,
    code: NoticeCode,
    id: string,
    values?: Record<string, string>,
  ): OutboundMessage;
  /** How the user reads a team: its label, else the configured one, else its id. */
  teamName(team: string | undefined, label: string | undefined): string;
  isReturnPhrase(text: string): boolean;
  turnResult(session: HandoffSession, replies: OutboundMessage[], duplicate?: boolean): TurnResult;
  /** Set by the engine once its worker exists. */
  wakeWorker(): void;
}

export function createEngineContext(settings: HandoffEngineSettings, wakeWorker: () => void): EngineContext {
  const storage = settings.storage ?? createInMemoryStorage();
  const now = settings.now ?? (() => new Date());
  const generateId = settings.generateId ?? (() => globalThis.crypto.randomUUID());
  const mutex = createKeyedMutex();
  const returnPhrases = new Set(
    (settings.returnToBotPhrases ?? ['back to bot', '/bot']).map((phrase) => phrase.trim().toLowerCase()),
  );

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

  const context: EngineContext = {
    support: settings.support,
    router: settings.router,
    bot: settings.bot,
    channel: settings.channel,
    sessions: storage.sessions,
    outbox: storage.outbox,
    transcriptMode: settings.transcript?.mode ?? 'on-handoff',
    maxTranscript: settings.transcript?.maxMessages ?? 100,
    maxTopicAttempts: settings.maxTopicAttempts ?? 2,
    returnPhrases,
    checkAvailability: settings.noAgent?.checkAvailability ?? true,
    waitTimeoutMs: settings.noAgent?.waitTimeoutMs ?? 10 * 60_000,
    reorderWindowMs: settings.reorderWindowMs ?? 1_000,
    businessHours: settings.businessHours,
    transferLabels: settings.transferLabels ?? ['bot-handoff'],
    now,
    generateId,
    telemetry: (event) => settings.onTelemetry?.(event),
    serialize: (key, work) => mutex.run(key, work),
    async update(key, mutate, options = {}) {
      // A read the caller just made saves the first one; a conflict re-reads as usual.
      let first = 'read' in options ? { stored: options.read } : undefined;
      for (let attempt = 0; attempt < maxUpdateAttempts; attempt += 1) {
        const stored = first === undefined ? await storage.sessions.get(key) : first.stored;
        first = undefined;
        const outcome = mutate(stored?.session);
        if ('skip' in outcome) return outcome.skip;
        outcome.session.updatedAt = now().toISOString();
        const written = await storage.sessions.compareAndSet(
          key,
          stored?.version,
          outcome.session,
          outcome.items ?? [],
        );
        if (written) {
          if ((outcome.items?.length ?? 0) > 0) wakeWorker();
          return outcome.result;
        }
      }
      throw new Error(`session ${key} kept changing under ${maxUpdateAttempts} concurrent updates`);
    },
    newSession: (key, reference) =>
      createSession({
        key,
        channelId: reference.channelId,
        userId: reference.userId,
        sessionId: generateId(),
        now: now().toISOString(),
      }),
    notice: (session, code, id, values = {}) => ({
      id,
      kind: 'notice',
      notice: code,
      text: formatNotice(noticeTexts(session)[code], values),
      createdAt: now().toISOString(),
    }),
    teamName: (team, label) =>
      label ?? (team === undefined ? 'a person' : (settings.router.labelOf(team) ?? `team ${team}`)),
    isReturnPhrase: (text) => returnPhrases.has(text.trim().toLowerCase()),
    turnResult: (session, replies, duplicate = false) => ({
      sessionId: session.sessionId,
      mode: session.mode,
      replies,
      duplicate,
    }),
    wakeWorker,
  };
  return context;
}

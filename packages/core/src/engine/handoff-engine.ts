import { z } from 'zod';
import type {
  HandleWebhookOptions,
  HandleWebhookResult,
  SupportAdapter,
} from '../contract/support-adapter.js';
import { BotError } from '../errors/bot-error.js';
import { InputError } from '../errors/input-error.js';
import { isSupportError, SupportError } from '../errors/support-error.js';
import type { RoutingDecision, SkillRouter } from '../routing/skill-router.js';
import { attachmentSchema } from '../schemas/attachment.js';
import { messageTextSchema } from '../schemas/message-text.js';
import type { SupportEvent } from '../schemas/support-event.js';
import { supportUserSchema } from '../schemas/support-user.js';
import { maxAttachmentsPerMessage, type TranscriptMessage } from '../schemas/transcript-message.js';
import { type BotConnector, botResponseSchema } from './bot-connector.js';
import type { ChannelSink } from './channel-sink.js';
import { buildContextNote } from './context-note.js';
import type { HandoffSession, OutboundMessage, SessionMode, SessionReturn } from './handoff-session.js';
import { sessionKey } from './handoff-session.js';
import { createInMemoryStorage } from './in-memory-session-store.js';
import { createKeyedMutex } from './keyed-mutex.js';
import {
  defaultNoticeTexts,
  formatNotice,
  formatTopicList,
  type NoticeCode,
  type NoticeTexts,
} from './notices.js';
import { mayHaveBeenDelivered, type NewOutboxItem, type Outbox, type OutboxItem } from './outbox.js';
import {
  channelItem,
  type EngineOutboxItem,
  eventsLane,
  type OutboxPayloads,
  supportItem,
} from './outbox-items.js';
import { createOutboxWorker, type OutboxWorkerSettings, PermanentDeliveryFailure } from './outbox-worker.js';
import type { HandoffStorage } from './session-store.js';
import {
  appendToTranscript,
  conversationOf,
  createSession,
  rememberMessageId,
  returnSessionToBot,
} from './session-transitions.js';

/**
 * `on-handoff` (default): the bot conversation stays local until a handoff, so a session that never
 * hands off costs no support call. `continuous`: every turn is mirrored as it happens.
 */
export type TranscriptMode = 'on-handoff' | 'continuous';

/** What the engine reports for metrics and logs. Never carries message text. */
export type EngineTelemetryEvent =
  | { type: 'handoff.requested'; key: string; rule: string; team?: string }
  | { type: 'handoff.transferred'; key: string; team: string }
  | { type: 'handoff.failed'; key: string; reason: string }
  | { type: 'session.returned'; key: string; reason: SessionReturn['reason'] }
  | { type: 'message.relayed'; key: string; direction: 'to-support' | 'to-channel'; count: number }
  | { type: 'delivery.retry'; kind: string; error: string; delayMs: number }
  | { type: 'delivery.parked'; kind: string; reason: string }
  | { type: 'delivery.stale'; kind: string; key: string }
  | { type: 'event.unmatched'; eventType: SupportEvent['type']; conversationId: string }
  | { type: 'catch-up.failed'; conversationId: string; error: string };

export interface HandoffEngineSettings {
  support: SupportAdapter;
  router: SkillRouter;
  bot: BotConnector;
  channel: ChannelSink;
  /** Sessions and outbox. Default: in process memory. */
  storage?: HandoffStorage;
  transcript?: {
    mode?: TranscriptMode;
    /** Most bot-conversation messages kept for the handoff; older ones are dropped and counted. Default 100. */
    maxMessages?: number;
  };
  /** Replacement texts, or a function giving them per channel and locale. */
  notices?:
    | Partial<NoticeTexts>
    | ((context: { channelId: string; locale?: string }) => Partial<NoticeTexts>);
  /** A whole message equal to one of these (any case) gives the session back to the bot. */
  returnToBotPhrases?: readonly string[];
  /** Answers to the topic question that name no topic before the default team is used. Default 2. */
  maxTopicAttempts?: number;
  delivery?: Pick<
    OutboxWorkerSettings,
    'concurrency' | 'leaseMs' | 'maxAttempts' | 'backoff' | 'owner' | 'onError'
  >;
  onTelemetry?: (event: EngineTelemetryEvent) => void;
  now?: () => Date;
  generateId?: () => string;
}

const userMessageOptionsSchema = z.object({
  channelId: z.string().min(1).max(200),
  userId: z.string().min(1).max(255),
  message: z
    .object({
      id: z.string().min(1).max(200).optional(),
      text: messageTextSchema.default(''),
      attachments: z.array(attachmentSchema).max(maxAttachmentsPerMessage).optional(),
    })
    .refine((message) => message.text.trim().length > 0 || (message.attachments?.length ?? 0) > 0, {
      message: 'a message needs text or at least one attachment',
      path: ['text'],
    }),
  profile: supportUserSchema.omit({ id: true }).optional(),
});

export type UserMessageOptions = z.input<typeof userMessageOptionsSchema> & { signal?: AbortSignal };

export interface SessionReference {
  channelId: string;
  userId: string;
}

export interface TurnResult {
  sessionId: string;
  mode: SessionMode;
  /** Messages for the user now: bot replies and notices. Empty while a human holds the session. */
  replies: OutboundMessage[];
  /** True when this message id was already processed; nothing was done again. */
  duplicate: boolean;
}

export interface RequestHandoffOptions extends SessionReference {
  team?: string;
  reason?: string;
  /** Defaults to the unfinished skills of the bot's last turn. */
  unfinishedSkills?: readonly string[];
}

export interface CloseSessionRequest extends SessionReference {
  /** Left in the support conversation before it is closed. */
  note?: string;
}

export interface HandoffEngine {
  /** A user message from the channel: to the bot, to the topic question, or to the human. */
  handleUserMessage(options: UserMessageOptions): Promise<TurnResult>;
  /** Starts a handoff outside a bot turn (the host decided). */
  requestHandoff(options: RequestHandoffOptions): Promise<TurnResult>;
  /** Ends the human part from the user's or bot's side; the bot takes over again. */
  closeSession(options: CloseSessionRequest): Promise<TurnResult>;
  /** Verifies and applies a support-system webhook. Throws WebhookVerificationError when refused. */
  handleWebhook(options: HandleWebhookOptions): Promise<HandleWebhookResult>;
  /**
   * Verifies a webhook and stores its events for the delivery worker, in order per conversation.
   * Resolves once they are stored: answer the support system then (Chatwoot waits 5 s and never
   * retries); nothing acknowledged is lost. Throws WebhookVerificationError when refused.
   */
  receiveWebhook(options: HandleWebhookOptions): Promise<HandleWebhookResult>;
  /** Applies events already verified and parsed. */
  applyEvents(events: readonly SupportEvent[]): Promise<void>;
  /**
   * Reads what happened in every conversation a human holds from the support system's records
   * (when the adapter can: capability `catchUp`) and applies what the webhooks never brought:
   * after downtime, Chatwoot's missed webhooks are never retried. Delivers nothing twice.
   */
  catchUp(options?: {
    signal?: AbortSignal;
  }): Promise<{ conversations: number; events: number; failed: number }>;
  getSession(reference: SessionReference): Promise<HandoffSession | undefined>;
  readonly outbox: Outbox;
  /** Starts delivering the outbox. */
  start(): void;
  /** Tells the delivery worker the outbox changed outside the engine (a parked item requeued). */
  wake(): void;
  stop(): Promise<void>;
  /** Resolves when every accepted delivery is done (or parked). */
  drain(options?: { timeoutMs?: number }): Promise<void>;
}

const maxUpdateAttempts = 25;
const rememberedAgentMessages = 500;

/**
 * The handoff state machine of every user session: `bot` -> (`choosing-team`) -> `human` -> `bot`.
 * Framework-free; storage, delivery, the bot and the channel are ports.
 */
export function createHandoffEngine(settings: HandoffEngineSettings): HandoffEngine {
  const { support, router, bot, channel } = settings;
  const storage = settings.storage ?? createInMemoryStorage();
  const sessions = storage.sessions;
  const outbox = storage.outbox;
  const transcriptMode: TranscriptMode = settings.transcript?.mode ?? 'on-handoff';
  const maxTranscript = settings.transcript?.maxMessages ?? 100;
  const maxTopicAttempts = settings.maxTopicAttempts ?? 2;
  const returnPhrases = new Set(
    (settings.returnToBotPhrases ?? ['back to bot', '/bot']).map((phrase) => phrase.trim().toLowerCase()),
  );
  const now = settings.now ?? (() => new Date());
  const generateId = settings.generateId ?? (() => globalThis.crypto.randomUUID());
  const telemetry = (event: EngineTelemetryEvent) => settings.onTelemetry?.(event);
  const mutex = createKeyedMutex();
  const maxPerPost = support.capabilities.maxMessagesPerPost;

  const noticeTexts = (session: HandoffSession): NoticeTexts => {
    const overrides =
      typeof settings.notices === 'function'
        ? settings.notices(
            session.profile?.locale === undefined
              ? { channelId: session.channelId }
              : { channelId: session.channelId, locale: session.profile.locale },
          )
        : settings.notices;
    return { ...defaultNoticeTexts, ...overrides };
  };

  const notice = (
    session: HandoffSession,
    code: NoticeCode,
    id: string,
    values: Record<string, string> = {},
  ): OutboundMessage => ({
    id,
    kind: 'notice',
    notice: code,
    text: formatNotice(noticeTexts(session)[code], values),
    createdAt: now().toISOString(),
  });

  const teamName = (team: string | undefined, label: string | undefined) =>
    label ?? (team === undefined ? 'a person' : (router.labelOf(team) ?? `team ${team}`));

  /**
   * Applies `mutate` to the stored session with compare-and-set, re-reading and re-applying on
   * conflict. `mutate` returns the items to enqueue with the write, or `false` to write nothing.
   */
  const update = async <Result>(
    key: string,
    mutate: (
      session: HandoffSession | undefined,
    ) => { session: HandoffSession; items?: NewOutboxItem[]; result: Result } | { skip: Result },
  ): Promise<Result> => {
    for (let attempt = 0; attempt < maxUpdateAttempts; attempt += 1) {
      const stored = await sessions.get(key);
      const outcome = mutate(stored?.session);
      if ('skip' in outcome) return outcome.skip;
      outcome.session.updatedAt = now().toISOString();
      const written = await sessions.compareAndSet(
        key,
        stored?.version,
        outcome.session,
        outcome.items ?? [],
      );
      if (written) {
        if ((outcome.items?.length ?? 0) > 0) worker.notify();
        return outcome.result;
      }
    }
    throw new Error(`session ${key} kept changing under ${maxUpdateAttempts} concurrent updates`);
  };

  const newSession = (key: string, reference: SessionReference) =>
    createSession({
      key,
      channelId: reference.channelId,
      userId: reference.userId,
      sessionId: generateId(),
      now: now().toISOString(),
    });

  /** Opens the conversation for continuous mirroring when there is none yet. */
  const ensureConversation = (session: HandoffSession, handoffId: string, items: NewOutboxItem[]) => {
    if (session.conversation !== undefined) return session.conversation.handoffId;
    session.conversation = { handoffId, transferred: false };
    items.push(supportItem('support.open', handoffId, { key: session.key, handoffId }));
    return handoffId;
  };

  /** Sends the messages of a turn where they belong for the session's mode. */
  const recordTurn = (
    session: HandoffSession,
    messages: TranscriptMessage[],
    handoffId: string,
    items: NewOutboxItem[],
  ) => {
    if (messages.length === 0) return;
    const first = messages[0] as TranscriptMessage;
    if (session.mode === 'human' && session.conversation !== undefined) {
      const conversationHandoffId = session.conversation.handoffId;
      items.push(
        supportItem('support.post', `${conversationHandoffId}:${first.id}`, {
          key: session.key,
          handoffId: conversationHandoffId,
          messages,
        }),
      );
      telemetry({
        type: 'message.relayed',
        key: session.key,
        direction: 'to-support',
        count: messages.length,
      });
      return;
    }
    if (transcriptMode === 'continuous') {
      const conversationHandoffId = ensureConversation(session, handoffId, items);
      items.push(
        supportItem('support.post', `${conversationHandoffId}:${first.id}`, {
          key: session.key,
          handoffId: conversationHandoffId,
          messages,
        }),
      );
      return;
    }
    appendToTranscript(session, messages, maxTranscript);
  };

  /** Starts the handoff a routing decision asks for; returns the notice for the user. */
  const startHandoff = (
    session: HandoffSession,
    decision: RoutingDecision,
    context: { handoffId: string; unfinishedSkills: string[]; requestedReason?: string | undefined },
    items: NewOutboxItem[],
  ): OutboundMessage => {
    const requestedAt = now().toISOString();
    const base = {
      unfinishedSkills: context.unfinishedSkills,
      requestedAt,
      reason: decision.reason.text,
      topicAttempts: 0,
      ...(context.requestedReason === undefined ? {} : { requestedReason: context.requestedReason }),
    };
    if (decision.action === 'ask') {
      session.mode = 'choosing-team';
      session.handoff = { id: session.handoff?.id ?? context.handoffId, ...base };
      telemetry({ type: 'handoff.requested', key: session.key, rule: 'ask' });
      return notice(session, 'askTopic', `ask-topic:${session.handoff.id}:${generateId()}`, {
        topics: formatTopicList(decision.topics.map((topic) => topic.label)),
      });
    }
    const handoffId = session.conversation?.handoffId ?? session.handoff?.id ?? context.handoffId;
    ensureConversation(session, handoffId, items);
    const conversation = session.conversation as NonNullable<HandoffSession['conversation']>;
    const target = decision.target;
    conversation.team = target.team;
    if (target.label !== undefined) conversation.teamLabel = target.label;
    session.handoff = {
      id: handoffId,
      team: target.team,
      ...(target.label === undefined ? {} : { teamLabel: target.label }),
      ...(decision.reason.rule === 'skill' ? { matchedSkill: decision.reason.skill } : {}),
      ...base,
    };
    if (session.transcript.length > 0) {
      items.push(
        supportItem('support.post', `${handoffId}:transcript`, {
          key: session.key,
          handoffId,
          messages: session.transcript,
        }),
      );
    }
    const note = buildContextNote({
      handoff: session.handoff,
      userId: session.userId,
      sessionId: session.sessionId,
      droppedMessages: session.droppedMessages,
      ...(session.profile === undefined ? {} : { profile: session.profile }),
    });
    items.push(
      supportItem('support.transfer', handoffId, { key: session.key, handoffId, team: target.team, note }),
    );
    session.transcript = [];
    session.droppedMessages = 0;
    session.mode = 'human';
    telemetry({ type: 'handoff.requested', key: session.key, rule: decision.reason.rule, team: target.team });
    return notice(session, 'handoffAccepted', `handoff-accepted:${handoffId}`, {
      team: teamName(target.team, target.label),
    });
  };

  /** Ends the human part: closes the support conversation (if any) and gives the session back to the bot. */
  const giveBackToBot = (
    session: HandoffSession,
    reason: SessionReturn['reason'],
    items: NewOutboxItem[],
    note?: string,
  ) => {
    const conversation = session.conversation;
    if (conversation !== undefined && reason !== 'agent_closed') {
      items.push(
        supportItem('support.close', conversation.handoffId, {
          key: session.key,
          handoffId: conversation.handoffId,
          ...(conversation.conversationId === undefined
            ? {}
            : { conversationId: conversation.conversationId }),
          ...(note === undefined ? {} : { note }),
        }),
      );
    }
    returnSessionToBot(session, { sessionId: generateId(), reason, now: now().toISOString() });
    telemetry({ type: 'session.returned', key: session.key, reason });
  };

  const isReturnPhrase = (text: string) => returnPhrases.has(text.trim().toLowerCase());

  const turnResult = (
    session: HandoffSession,
    replies: OutboundMessage[],
    duplicate = false,
  ): TurnResult => ({
    sessionId: session.sessionId,
    mode: session.mode,
    replies,
    duplicate,
  });

  const handleUserMessage = async (options: UserMessageOptions): Promise<TurnResult> => {
    const parsed = userMessageOptionsSchema.safeParse(options);
    if (!parsed.success) throw InputError.fromZod(parsed.error);
    const { channelId, userId, profile } = parsed.data;
    const key = sessionKey(channelId, userId);
    const messageId = parsed.data.message.id ?? generateId();
    const userMessage: TranscriptMessage = {
      id: messageId,
      author: 'user',
      text: parsed.data.message.text,
      createdAt: now().toISOString(),
      ...(parsed.data.message.attachments === undefined
        ? {}
        : { attachments: parsed.data.message.attachments }),
    };
    const handoffId = generateId();

    const runTurn = async (): Promise<TurnResult | 'changed'> => {
      const stored = await sessions.get(key);
      const snapshot = stored?.session ?? newSession(key, { channelId, userId });
      if (snapshot.recentMessageIds.includes(messageId)) return turnResult(snapshot, [], true);

      // The bot is asked outside the write, with the session as it was; its answer is then applied
      // to the session as it is (re-applied, never re-asked, if another writer came first).
      let botTurn:
        | {
            replies: OutboundMessage[];
            messages: TranscriptMessage[];
            response: z.output<typeof botResponseSchema>;
          }
        | undefined;
      if (snapshot.mode === 'bot') {
        let answer: unknown;
        try {
          answer = await bot.respond(
            {
              session: { channelId, userId, sessionId: snapshot.sessionId },
              message: {
                id: messageId,
                text: userMessage.text,
                ...(userMessage.attachments === undefined ? {} : { attachments: userMessage.attachments }),
              },
              ...(profile === undefined && snapshot.profile === undefined
                ? {}
                : { profile: { ...snapshot.profile, ...profile } }),
              ...(snapshot.returned === undefined ? {} : { returned: snapshot.returned }),
            },
            options.signal === undefined ? {} : { signal: options.signal },
          );
        } catch (error) {
          if (BotError.isInstance(error)) throw error;
          throw new BotError({ code: 'bot_failed', message: 'the bot did not answer', cause: error });
        }
        const response = botResponseSchema.safeParse(answer);
        if (!response.success) {
          throw new BotError({
            code: 'bot_invalid_response',
            message: `the bot answered something unusable: ${response.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
          });
        }
        const createdAt = now().toISOString();
        const replies: OutboundMessage[] = [];
        const messages: TranscriptMessage[] = [];
        response.data.replies.forEach((reply, index) => {
          if (reply.text.length === 0 && (reply.attachments?.length ?? 0) === 0) return;
          const id = `${messageId}:reply:${index}`;
          const attachments = reply.attachments === undefined ? {} : { attachments: reply.attachments };
          replies.push({ id, kind: 'bot', text: reply.text, createdAt, ...attachments });
          messages.push({ id, author: 'bot', text: reply.text, createdAt, ...attachments });
        });
        botTurn = { replies, messages, response: response.data };
      }

      return update<TurnResult | 'changed'>(key, (current) => {
        // A first message: store the very session the bot was asked with (same bot session id).
        const session = current ?? structuredClone(snapshot);
        if (session.recentMessageIds.includes(messageId)) return { skip: turnResult(session, [], true) };
        const items: NewOutboxItem[] = [];
        const replies: OutboundMessage[] = [];
        rememberMessageId(session, messageId);
        if (profile !== undefined) session.profile = { ...session.profile, ...profile };

        if (isReturnPhrase(userMessage.text) && session.mode !== 'bot') {
          recordTurn(session, [userMessage], handoffId, items);
          giveBackToBot(session, 'user_cancelled', items, 'The user went back to the bot.');
          replies.push(notice(session, 'returnedToBot', `returned:${messageId}`));
          return { session, items, result: turnResult(session, replies) };
        }

        if (session.mode === 'human') {
          recordTurn(session, [userMessage], handoffId, items);
          return { session, items, result: turnResult(session, replies) };
        }

        if (session.mode === 'choosing-team') {
          recordTurn(session, [userMessage], handoffId, items);
          const pending = session.handoff;
          let decision = router.resolveTopic(userMessage.text);
          if (decision === undefined) {
            const attempts = (pending?.topicAttempts ?? 0) + 1;
            if (attempts < maxTopicAttempts) {
              if (pending !== undefined) pending.topicAttempts = attempts;
              replies.push(
                notice(session, 'topicNotUnderstood', `topic-retry:${messageId}`, {
                  topics: formatTopicList(router.topics.map((topic) => topic.label)),
                }),
              );
              return { session, items, result: turnResult(session, replies) };
            }
            decision = router.defaultDecision(`the user named no topic in ${attempts} answers`);
          }
          replies.push(
            startHandoff(
              session,
              decision,
              {
                handoffId,
                unfinishedSkills: pending?.unfinishedSkills ?? [],
                requestedReason: pending?.requestedReason,
              },
              items,
            ),
          );
          return { session, items, result: turnResult(session, replies) };
        }

        // The bot holds the session again but was not asked (a human handed it back meanwhile).
        if (botTurn === undefined) return { skip: 'changed' };
        delete session.returned;
        session.unfinishedSkills = botTurn.response.unfinishedSkills;
        recordTurn(session, [userMessage, ...botTurn.messages], handoffId, items);
        replies.push(...botTurn.replies);
        const requested = botTurn.response.handoff;
        if (requested !== undefined && session.mode === 'bot') {
          const decision = router.decide({
            unfinishedSkills: session.unfinishedSkills,
            ...(requested.team === undefined ? {} : { team: requested.team }),
          });
          replies.push(
            startHandoff(
              session,
              decision,
              { handoffId, unfinishedSkills: session.unfinishedSkills, requestedReason: requested.reason },
              items,
            ),
          );
        }
        return { session, items, result: turnResult(session, replies) };
      });
    };

    return mutex.run(key, async () => {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const result = await runTurn();
        if (result !== 'changed') return result;
      }
      throw new Error(`session ${key} changed hands while the bot was answering; try again`);
    });
  };

  const requestHandoff = async (options: RequestHandoffOptions): Promise<TurnResult> => {
    const key = sessionKey(options.channelId, options.userId);
    const handoffId = generateId();
    return mutex.run(key, () =>
      update<TurnResult>(key, (current) => {
        const session = current ?? newSession(key, options);
        if (session.mode !== 'bot') return { skip: turnResult(session, []) };
        const unfinishedSkills = [...(options.unfinishedSkills ?? session.unfinishedSkills)];
        const decision = router.decide({
          unfinishedSkills,
          ...(options.team === undefined ? {} : { team: options.team }),
        });
        const items: NewOutboxItem[] = [];
        const reply = startHandoff(
          session,
          decision,
          { handoffId, unfinishedSkills, requestedReason: options.reason },
          items,
        );
        return { session, items, result: turnResult(session, [reply]) };
      }),
    );
  };

  const closeSession = async (options: CloseSessionRequest): Promise<TurnResult> => {
    const key = sessionKey(options.channelId, options.userId);
    return mutex.run(key, () =>
      update<TurnResult>(key, (current) => {
        if (current === undefined) return { skip: turnResult(newSession(key, options), []) };
        if (current.mode === 'bot' && current.conversation === undefined)
          return { skip: turnResult(current, []) };
        const wasWithHuman = current.mode !== 'bot';
        const items: NewOutboxItem[] = [];
        giveBackToBot(current, 'user_cancelled', items, options.note);
        const replies = wasWithHuman ? [notice(current, 'returnedToBot', `returned:${generateId()}`)] : [];
        return { session: current, items, result: turnResult(current, replies) };
      }),
    );
  };

  const enqueueForChannel = (session: HandoffSession, message: OutboundMessage, items: NewOutboxItem[]) => {
    items.push(
      channelItem(session.key, {
        channelId: session.channelId,
        userId: session.userId,
        sessionId: session.sessionId,
        message,
      }),
    );
    telemetry({ type: 'message.relayed', key: session.key, direction: 'to-channel', count: 1 });
  };

  const applyEvent = async (key: string, event: SupportEvent) => {
    if (event.type === 'agent.typing') {
      const stored = await sessions.get(key);
      const session = stored?.session;
      if (session?.mode !== 'human' || session.conversation?.conversationId !== event.conversationId) return;
      try {
        await channel.typing?.({
          channelId: session.channelId,
          userId: session.userId,
          typing: event.typing,
          agent: event.agent,
        });
      } catch {
        // Typing is best effort; a failed indicator must not fail the webhook.
      }
      return;
    }
    await update<void>(key, (session) => {
      if (session?.conversation?.conversationId !== event.conversationId) return { skip: undefined };
      const items: NewOutboxItem[] = [];
      switch (event.type) {
        case 'agent.message': {
          const seen = session.agentMessageIds ?? [];
          if (seen.includes(event.message.id)) return { skip: undefined };
          session.agentMessageIds = [...seen, event.message.id].slice(-rememberedAgentMessages);
          // An agent writing takes the session, even before a transfer (continuous mirroring).
          session.mode = 'human';
          if (event.message.text.length > 0) session.lastAgentMessage = event.message.text.slice(0, 2_000);
          enqueueForChannel(
            session,
            {
              id: `agent:${event.conversationId}:${event.message.id}`,
              kind: 'agent',
              text: event.message.text,
              ...(event.message.attachments === undefined ? {} : { attachments: event.message.attachments }),
              agent: event.agent,
              createdAt: event.occurredAt ?? now().toISOString(),
            },
            items,
          );
          break;
        }
        case 'agent.assigned': {
          const name = event.agent?.name;
          if (session.mode !== 'human' || name === undefined) return { skip: undefined };
          enqueueForChannel(
            session,
            notice(
              session,
              'agentJoined',
              `agent-joined:${event.conversationId}:${event.agent?.id ?? name}`,
              {
                agent: name,
              },
            ),
            items,
          );
          break;
        }
        case 'conversation.closed': {
          const wasWithHuman = session.mode !== 'bot';
          const conversationId = event.conversationId;
          if (!wasWithHuman) {
            // A mirrored conversation closed while the bot held the session: mirror into a new one.
            session.previousConversation = { handoffId: session.conversation.handoffId, conversationId };
            delete session.conversation;
            break;
          }
          giveBackToBot(session, 'agent_closed', items);
          if (event.closedBy !== 'bot') {
            enqueueForChannel(
              session,
              notice(session, 'agentClosed', `agent-closed:${conversationId}`),
              items,
            );
          }
          break;
        }
      }
      return { session, items, result: undefined };
    });
  };

  const applyEvents = async (events: readonly SupportEvent[]) => {
    for (const event of events) {
      const key = await sessions.findKeyByConversation(event.conversationId);
      if (key === undefined) {
        telemetry({ type: 'event.unmatched', eventType: event.type, conversationId: event.conversationId });
        continue;
      }
      await mutex.run(key, () => applyEvent(key, event));
    }
  };

  // Deliveries ---------------------------------------------------------------------------------

  const loadForDelivery = async (key: string) => (await sessions.get(key))?.session;

  const deliverOpen = async (
    payload: OutboxPayloads['support.open'],
    item: OutboxItem,
    signal: AbortSignal,
  ) => {
    const session = await loadForDelivery(payload.key);
    if (session?.conversation?.handoffId !== payload.handoffId) {
      telemetry({ type: 'delivery.stale', kind: item.kind, key: payload.key });
      return;
    }
    if (session.conversation.conversationId !== undefined) return;
    const cachedUserId = session.supportUserId;
    const supportUserId =
      cachedUserId ??
      (
        await support.ensureUser({
          user: { ...session.profile, id: session.userId },
          signal,
        })
      ).supportUserId;
    let opened: { conversationId: string };
    try {
      opened = await support.openConversation({
        supportUserId,
        sessionId: session.sessionId,
        handoffId: payload.handoffId,
        recover: mayHaveBeenDelivered(item),
        attributes: { channel: session.channelId, user: session.userId },
        signal,
      });
    } catch (error) {
      if (isSupportError(error) && error.code === 'not_found' && cachedUserId !== undefined) {
        // The support user we remembered is gone (deleted on the support side): find or create it again.
        await update<void>(payload.key, (current) => {
          if (current?.supportUserId !== cachedUserId) return { skip: undefined };
          delete current.supportUserId;
          return { session: current, result: undefined };
        });
        throw new SupportError({
          code: 'not_found',
          retryable: true,
          message: 'the remembered support user no longer exists; it will be looked up again',
          cause: error,
        });
      }
      throw error;
    }
    const closeNow = await update<boolean>(payload.key, (current) => {
      if (current === undefined) return { skip: false };
      current.supportUserId = supportUserId;
      if (current.conversation?.handoffId === payload.handoffId) {
        current.conversation.conversationId = opened.conversationId;
        return { session: current, result: false };
      }
      if (current.previousConversation?.handoffId === payload.handoffId) {
        // The user went back to the bot while the conversation was being opened: close it again.
        current.previousConversation.conversationId = opened.conversationId;
        return { session: current, result: true };
      }
      return { session: current, result: true };
    });
    if (closeNow) await support.closeSession({ conversationId: opened.conversationId, signal });
  };

  const deliverPost = async (
    payload: OutboxPayloads['support.post'],
    item: OutboxItem,
    signal: AbortSignal,
  ) => {
    const session = await loadForDelivery(payload.key);
    const conversation = session === undefined ? undefined : conversationOf(session, payload.handoffId);
    if (conversation === undefined || (!conversation.current && conversation.conversationId === undefined)) {
      // The handoff was cancelled before its conversation existed: nothing to post into.
      telemetry({ type: 'delivery.stale', kind: item.kind, key: payload.key });
      return;
    }
    if (conversation.conversationId === undefined) {
      throw new PermanentDeliveryFailure('the support conversation was never opened');
    }
    for (let start = 0; start < payload.messages.length; start += maxPerPost) {
      await support.postMessages({
        conversationId: conversation.conversationId,
        messages: payload.messages.slice(start, start + maxPerPost),
        recover: mayHaveBeenDelivered(item),
        signal,
      });
    }
  };

  const deliverTransfer = async (
    payload: OutboxPayloads['support.transfer'],
    item: OutboxItem,
    signal: AbortSignal,
  ) => {
    const session = await loadForDelivery(payload.key);
    const conversation = session?.conversation;
    if (conversation?.handoffId !== payload.handoffId) {
      telemetry({ type: 'delivery.stale', kind: item.kind, key: payload.key });
      return;
    }
    if (conversation.transferred) return;
    if (conversation.conversationId === undefined) {
      throw new PermanentDeliveryFailure('the support conversation was never opened');
    }
    await support.transfer({
      conversationId: conversation.conversationId,
      team: payload.team,
      note: payload.note,
      recover: mayHaveBeenDelivered(item),
      signal,
    });
    await update<void>(payload.key, (current) => {
      if (current?.conversation?.handoffId !== payload.handoffId) return { skip: undefined };
      current.conversation.transferred = true;
      return { session: current, result: undefined };
    });
    telemetry({ type: 'handoff.transferred', key: payload.key, team: payload.team });
  };

  const deliverClose = async (payload: OutboxPayloads['support.close'], signal: AbortSignal) => {
    let conversationId = payload.conversationId;
    if (conversationId === undefined) {
      const session = await loadForDelivery(payload.key);
      conversationId =
        session === undefined ? undefined : conversationOf(session, payload.handoffId)?.conversationId;
    }
    if (conversationId === undefined) return;
    try {
      await support.closeSession({
        conversationId,
        signal,
        ...(payload.note === undefined ? {} : { note: payload.note }),
      });
    } catch (error) {
      if (isSupportError(error) && error.code === 'not_found') return;
      throw error;
    }
  };

  const deliver = async (item: OutboxItem, { signal }: { signal: AbortSignal }) => {
    const engineItem = item as OutboxItem & EngineOutboxItem;
    switch (engineItem.kind) {
      case 'support.open':
        return deliverOpen(engineItem.payload, item, signal);
      case 'support.post':
        return deliverPost(engineItem.payload, item, signal);
      case 'support.transfer':
        return deliverTransfer(engineItem.payload, item, signal);
      case 'support.close':
        return deliverClose(engineItem.payload, signal);
      case 'channel.deliver':
        return channel.deliver(engineItem.payload, { signal });
      case 'support.events':
        return applyEvents(engineItem.payload.events);
      default:
        throw new PermanentDeliveryFailure(`unknown delivery kind ${(item as OutboxItem).kind}`);
    }
  };

  const onParked = async (item: OutboxItem, reason: string) => {
    telemetry({ type: 'delivery.parked', kind: item.kind, reason });
    const engineItem = item as OutboxItem & EngineOutboxItem;
    if (engineItem.kind !== 'support.open' && engineItem.kind !== 'support.transfer') return;
    const { key, handoffId } = engineItem.payload;
    await mutex.run(key, () =>
      update<void>(key, (session) => {
        if (session?.conversation?.handoffId !== handoffId) return { skip: undefined };
        const items: NewOutboxItem[] = [];
        const wasWithHuman = session.mode !== 'bot';
        const team = teamName(session.conversation.team, session.conversation.teamLabel);
        giveBackToBot(session, 'handoff_failed', items);
        telemetry({ type: 'handoff.failed', key, reason });
        if (wasWithHuman)
          enqueueForChannel(
            session,
            notice(session, 'handoffFailed', `handoff-failed:${handoffId}`, { team }),
            items,
          );
        return { session, items, result: undefined };
      }),
    );
  };

  const worker = createOutboxWorker({
    ...settings.delivery,
    outbox,
    deliver,
    onParked,
    onRetry: (item, error, delayMs) =>
      telemetry({
        type: 'delivery.retry',
        kind: item.kind,
        error: isSupportError(error) ? error.code : error instanceof Error ? error.name : 'error',
        delayMs,
      }),
  });

  return {
    handleUserMessage,
    requestHandoff,
    closeSession,
    async handleWebhook(options) {
      const result = await support.handleWebhook(options);
      await applyEvents(result.events);
      return result;
    },
    async receiveWebhook(options) {
      const result = await support.handleWebhook(options);
      const byConversation = new Map<string, SupportEvent[]>();
      for (const event of result.events) {
        const list = byConversation.get(event.conversationId) ?? [];
        list.push(event);
        byConversation.set(event.conversationId, list);
      }
      const delivery = result.deliveryId ?? generateId();
      const items: NewOutboxItem[] = [...byConversation].map(([conversationId, events]) => ({
        id: `support.events:${delivery}:${conversationId}`,
        lane: eventsLane(conversationId),
        kind: 'support.events',
        payload: { conversationId, events },
      }));
      if (items.length > 0) {
        await outbox.enqueue(items);
        worker.notify();
      }
      return result;
    },
    applyEvents,
    async catchUp(options = {}) {
      const sync = support.syncConversation?.bind(support);
      const totals = { conversations: 0, events: 0, failed: 0 };
      if (sync === undefined || !support.capabilities.catchUp) return totals;
      for (const { key, conversationId } of await sessions.listConversations()) {
        const session = (await sessions.get(key))?.session;
        // Only conversations handed to a team: before the transfer, `pending` means "not yet".
        if (session?.mode !== 'human' || session.conversation?.conversationId !== conversationId) continue;
        if (!session.conversation.transferred) continue;
        totals.conversations += 1;
        try {
          // The whole conversation, not what follows the last message seen: a webhook lost before
          // one that arrived would be skipped for good. What was applied already is skipped.
          const { events } = await sync({
            conversationId,
            ...(options.signal === undefined ? {} : { signal: options.signal }),
          });
          totals.events += events.length;
          await applyEvents(events);
        } catch (error) {
          totals.failed += 1;
          telemetry({
            type: 'catch-up.failed',
            conversationId,
            error: isSupportError(error) ? error.code : error instanceof Error ? error.name : 'error',
          });
        }
      }
      return totals;
    },
    async getSession(reference) {
      return (await sessions.get(sessionKey(reference.channelId, reference.userId)))?.session;
    },
    outbox,
    start: () => worker.start(),
    wake: () => worker.notify(),
    stop: () => worker.stop(),
    drain: (options) => worker.drain(options),
  };
}

// The handoff engine of external mode (the channel is the host's): its settings resolved, its parts
// wired together, and its operations.

import type { NewOutboxItem } from '../contract/outbox.js';
import { createOutboxWorker } from '../delivery/outbox-worker.js';
import { isSupportError } from '../errors/support-error.js';
import type { SupportEvent } from '../schemas/support-event.js';
import { sessionKey } from '../session/handoff-session.js';
import { createInMemoryStorage } from '../session/in-memory-storage.js';
import { createKeyedMutex } from '../session/keyed-mutex.js';
import { createSession } from '../session/session-transitions.js';
import { createSessionUpdater } from '../session/session-updates.js';
import { createAgentMessageOrder } from './agent-message-order.js';
import { createChannelQueue } from './channel-enqueue.js';
import { createEngineDeliveries } from './engine-deliveries.js';
import { eventsLane } from './engine-outbox-items.js';
import {
  type CloseSessionRequest,
  type EngineTelemetryEvent,
  type HandoffEngine,
  type HandoffEngineSettings,
  type RequestHandoffOptions,
  type SessionReference,
  type TurnResult,
  turnResultOf,
} from './engine-types.js';
import { createEventApplication } from './event-application.js';
import { createHandoffSteps } from './handoff-steps.js';
import { createHandoffSummary } from './handoff-summary.js';
import { createNoticeWriter } from './notice-writer.js';
import { createSessionTimers } from './session-timers.js';
import { createSupportDeliveries } from './support-deliveries.js';
import { createSupportUserPrefetch } from './support-user-prefetch.js';
import { createTeamAvailabilityCheck } from './team-availability.js';
import { createUndeliveredReports } from './undelivered-reports.js';
import { createUserTurn } from './user-turn.js';

export type {
  CloseSessionRequest,
  EngineTelemetryEvent,
  HandoffEngine,
  HandoffEngineSettings,
  RequestHandoffOptions,
  SessionReference,
  TranscriptMode,
  TurnResult,
  UserMessageOptions,
} from './engine-types.js';

const errorCode = (error: unknown) =>
  isSupportError(error) ? error.code : error instanceof Error ? error.name : 'error';

/**
 * The handoff state machine of every user session:
 * `bot` -> (`choosing-team`) -> (`no-agent`) -> `human` -> `bot`.
 * Framework-free; storage, delivery, the bot and the channel are ports.
 */
export function createHandoffEngine(settings: HandoffEngineSettings): HandoffEngine {
  const { support, router, bot, channel } = settings;
  const { sessions, outbox } = settings.storage ?? createInMemoryStorage();
  const now = settings.now ?? (() => new Date());
  const generateId = settings.generateId ?? (() => globalThis.crypto.randomUUID());
  const telemetry = (event: EngineTelemetryEvent) => settings.onTelemetry?.(event);
  const returnPhrases = new Set(
    (settings.returnToBotPhrases ?? ['back to bot', '/bot']).map((phrase) => phrase.trim().toLowerCase()),
  );
  const maxTopicAttempts = settings.maxTopicAttempts ?? 2;
  const waitTimeoutMs = settings.noAgent?.waitTimeoutMs ?? 10 * 60_000;

  const mutex = createKeyedMutex();
  const updater = createSessionUpdater({
    sessions,
    now,
    ...(outbox.groupsCommits === true ? { onEnqueuing: () => worker.notify() } : {}),
    onEnqueued: () => worker.notify(),
  });
  const newSession = (key: string, reference: SessionReference) =>
    createSession({
      key,
      channelId: reference.channelId,
      userId: reference.userId,
      sessionId: generateId(),
      now: now().toISOString(),
    });
  const notices = createNoticeWriter({ notices: settings.notices, router, now });
  const channelQueue = createChannelQueue({ telemetry });
  const agentMessages = createAgentMessageOrder({
    support,
    reorderWindowMs: settings.reorderWindowMs ?? 1_000,
    channelQueue,
    now,
  });
  const teamAvailability = createTeamAvailabilityCheck({
    support,
    checkAvailability: settings.noAgent?.checkAvailability ?? true,
    businessHours: settings.businessHours,
    now,
    telemetry,
  });
  const steps = createHandoffSteps({
    support,
    transcriptMode: settings.transcript?.mode ?? 'on-handoff',
    maxTranscript: settings.transcript?.maxMessages ?? 100,
    transferLabels: settings.transferLabels ?? ['bot-handoff'],
    waitTimeoutMs,
    agentMessages,
    channelQueue,
    notices,
    now,
    generateId,
    telemetry,
  });
  const supportUserPrefetch = createSupportUserPrefetch({
    support,
    supportIntegration: settings.supportIntegration,
  });
  const handoffSummary = createHandoffSummary({
    summarizer: settings.summary?.summarizer,
    timeoutMs: settings.summary?.timeoutMs ?? 5_000,
    telemetry,
  });
  const userTurn = createUserTurn({
    handoffSummary,
    support,
    supportUserPrefetch,
    bot,
    router,
    sessions,
    updater,
    mutex,
    steps,
    teamAvailability,
    notices,
    maxTopicAttempts,
    isReturnPhrase: (text) => returnPhrases.has(text.trim().toLowerCase()),
    newSession,
    now,
    generateId,
  });
  const eventApplication = createEventApplication({
    support,
    channel,
    sessions,
    updater,
    mutex,
    agentMessages,
    steps,
    channelQueue,
    notices,
    now,
    telemetry,
  });
  // Conversations a catch-up found opened but not transferred yet (a restart between the two):
  // what agents wrote in them meanwhile is read back once the transfer is done.
  const awaitingTransfer = new Set<string>();
  const readBackAfterTransfer = async (key: string, conversationId: string, signal: AbortSignal) => {
    if (!awaitingTransfer.delete(`${key}\n${conversationId}`)) return;
    const sync = support.syncConversation?.bind(support);
    if (sync === undefined) return;
    try {
      const { events } = await sync({ conversationId, signal });
      await eventApplication.applyEvents(
        events.filter((event) => event.type === 'agent.message' || event.type === 'agent.note'),
      );
    } catch (error) {
      telemetry({ type: 'catch-up.failed', conversationId, error: errorCode(error) });
    }
  };
  const deliveries = createEngineDeliveries({
    channel,
    supportDeliveries: createSupportDeliveries({
      support,
      supportUserPrefetch,
      onTransferred: (key, conversationId, signal) => readBackAfterTransfer(key, conversationId, signal),
      sessions,
      updater,
      telemetry,
      supportIntegration: settings.supportIntegration,
    }),
    events: eventApplication,
    timers: createSessionTimers({
      support,
      sessions,
      updater,
      mutex,
      agentMessages,
      steps,
      channelQueue,
      notices,
      waitTimeoutMs,
      telemetry,
    }),
    undelivered: createUndeliveredReports({ updater, mutex, channelQueue, notices, now, telemetry }),
    steps,
    updater,
    mutex,
    telemetry,
  });
  const worker = createOutboxWorker({
    ...settings.delivery,
    outbox,
    deliver: deliveries.deliver,
    onParking: deliveries.onParking,
    onParked: deliveries.onParked,
    onRetry: (item, error, delayMs) =>
      telemetry({ type: 'delivery.retry', kind: item.kind, error: errorCode(error), delayMs }),
  });

  const requestHandoff = async (options: RequestHandoffOptions): Promise<TurnResult> => {
    const key = sessionKey(options.channelId, options.userId);
    const handoffId = generateId();
    return mutex.run(key, async () => {
      const stored = (await sessions.get(key))?.session;
      const decide = (unfinishedSkills: string[]) =>
        router.decide({
          unfinishedSkills,
          ...(options.team === undefined ? {} : { team: options.team }),
        });
      // The team's availability is asked before the write, for the decision the session implies now.
      const planned = decide([...(options.unfinishedSkills ?? stored?.unfinishedSkills ?? [])]);
      const inBot = stored?.mode === 'bot' || stored === undefined;
      const [availability, summary] = await Promise.all([
        inBot && planned.action === 'transfer'
          ? teamAvailability(planned.target.team, options.signal, () =>
              supportUserPrefetch.start(stored ?? { key, userId: options.userId }),
            ).then((result) => ({ team: planned.target.team, result }))
          : undefined,
        inBot && stored !== undefined
          ? handoffSummary(
              key,
              {
                messages: stored.transcript,
                unfinishedSkills: options.unfinishedSkills ?? stored.unfinishedSkills,
                ...(options.reason === undefined ? {} : { reason: options.reason }),
              },
              options.signal,
            )
          : undefined,
      ]);
      return updater.update<TurnResult>(key, (current) => {
        const session = current ?? newSession(key, options);
        if (session.mode !== 'bot') return { skip: turnResultOf(session, []) };
        const unfinishedSkills = [...(options.unfinishedSkills ?? session.unfinishedSkills)];
        const decision = decide(unfinishedSkills);
        const items: NewOutboxItem[] = [];
        const reply = steps.planHandoff(
          session,
          decision,
          {
            handoffId,
            unfinishedSkills,
            skillSlots: options.unfinishedSkills === undefined ? session.unfinishedSkillSlots : undefined,
            requestedReason: options.reason,
            summary,
            availability:
              decision.action === 'transfer' && decision.target.team === availability?.team
                ? availability.result
                : undefined,
          },
          items,
        );
        return { session, items, result: turnResultOf(session, [reply]) };
      });
    });
  };

  /** Parts of a webhook or a read-back the adapter could not read: reported, never dropped in silence. */
  const reportUnreadable = (result: { unreadable?: ReadonlyArray<{ field: string; reason: string }> }) => {
    for (const part of result.unreadable ?? []) {
      telemetry({
        type: 'webhook.unreadable',
        provider: support.provider,
        field: part.field,
        reason: part.reason,
      });
    }
  };

  const closeSession = async (options: CloseSessionRequest): Promise<TurnResult> => {
    const key = sessionKey(options.channelId, options.userId);
    return mutex.run(key, () =>
      updater.update<TurnResult>(key, (current) => {
        if (current === undefined) return { skip: turnResultOf(newSession(key, options), []) };
        if (current.mode === 'bot' && current.conversation === undefined) {
          return { skip: turnResultOf(current, []) };
        }
        const wasWithHuman = current.mode !== 'bot';
        const items: NewOutboxItem[] = [];
        steps.giveBackToBot(
          current,
          'user_cancelled',
          items,
          options.note ?? 'The user went back to the bot.',
        );
        const replies = wasWithHuman
          ? [notices.notice(current, 'returnedToBot', `returned:${generateId()}`)]
          : [];
        return { session: current, items, result: turnResultOf(current, replies) };
      }),
    );
  };

  return {
    handleUserMessage: (options) => userTurn.handleUserMessage(options),
    requestHandoff,
    closeSession,
    async handleWebhook(options) {
      const result = await support.handleWebhook(options);
      reportUnreadable(result);
      await eventApplication.applyEvents(result.events);
      return result;
    },
    async receiveWebhook(options) {
      const result = await support.handleWebhook(options);
      reportUnreadable(result);
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
        const enqueuing = outbox.enqueue(items);
        // Where the store groups the writes of a turn, the claim joins this write's commit.
        if (outbox.groupsCommits === true) worker.notify();
        await enqueuing;
        worker.notify();
      }
      return result;
    },
    applyEvents: (events) => eventApplication.applyEvents(events),
    async catchUp(options = {}) {
      const sync = support.syncConversation?.bind(support);
      const totals = { conversations: 0, events: 0, failed: 0 };
      if (sync === undefined || !support.capabilities.catchUp) return totals;
      const closedSince = now().getTime() - (options.closedWithinMs ?? 60 * 60 * 1000);
      for (const { key, conversationId } of await sessions.listConversations()) {
        const session = (await sessions.get(key))?.session;
        if (session === undefined) continue;
        // Conversations handed to a team (before the transfer, `pending` means "not yet"), and those
        // closed lately: an agent's last replies whose webhooks were lost still reach the user.
        let held =
          session.mode === 'human' &&
          session.conversation?.conversationId === conversationId &&
          session.conversation.transferred === true;
        if (
          session.mode === 'human' &&
          session.conversation?.conversationId === conversationId &&
          session.conversation.transferred !== true
        ) {
          // Not read back now (`pending` would read as closed): once the transfer is done. Unless
          // it was done meanwhile: then now.
          const awaiting = `${key}\n${conversationId}`;
          awaitingTransfer.add(awaiting);
          const current = (await sessions.get(key))?.session;
          if (
            current?.conversation?.conversationId !== conversationId ||
            current.conversation.transferred !== true
          )
            continue;
          if (!awaitingTransfer.delete(awaiting)) continue; // the transfer's read-back has it
          held = true;
        }
        const previous = session.previousConversation;
        const closedLately =
          previous?.conversationId === conversationId &&
          session.conversation?.conversationId !== conversationId &&
          previous.closedAt !== undefined &&
          Date.parse(previous.closedAt) >= closedSince;
        if (!held && !closedLately) continue;
        totals.conversations += 1;
        try {
          // The whole conversation, not what follows the last message seen: a webhook lost before
          // one that arrived would be skipped for good. What was applied already is skipped.
          const synced = await sync({
            conversationId,
            ...(options.signal === undefined ? {} : { signal: options.signal }),
          });
          reportUnreadable(synced);
          // Of a closed conversation only agents' messages matter: the close was applied already.
          const events = held
            ? synced.events
            : synced.events.filter((event) => event.type === 'agent.message');
          totals.events += events.length;
          await eventApplication.applyEvents(events);
        } catch (error) {
          totals.failed += 1;
          telemetry({ type: 'catch-up.failed', conversationId, error: errorCode(error) });
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

import type { NewOutboxItem } from '../contract/outbox.js';
import { createOutboxWorker } from '../delivery/outbox-worker.js';
import { isSupportError } from '../errors/support-error.js';
import type { SupportEvent } from '../schemas/support-event.js';
import { sessionKey } from '../session/handoff-session.js';
import { createEngineContext } from './engine-context.js';
import { createDeliveryHandlers } from './engine-deliveries.js';
import { eventsLane } from './engine-outbox-items.js';
import type {
  CloseSessionRequest,
  HandoffEngine,
  HandoffEngineSettings,
  RequestHandoffOptions,
  TurnResult,
} from './engine-types.js';
import { applyEvents } from './event-application.js';
import { giveBackToBot, planHandoff } from './handoff-steps.js';
import { teamAvailability } from './team-availability.js';
import { handleUserMessage } from './user-turn.js';

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
  const context = createEngineContext(settings, () => worker.notify());
  const { support, sessions, outbox } = context;
  const handlers = createDeliveryHandlers(context);
  const worker = createOutboxWorker({
    ...settings.delivery,
    outbox,
    deliver: handlers.deliver,
    onParking: handlers.onParking,
    onParked: handlers.onParked,
    onRetry: (item, error, delayMs) =>
      context.telemetry({ type: 'delivery.retry', kind: item.kind, error: errorCode(error), delayMs }),
  });

  const requestHandoff = async (options: RequestHandoffOptions): Promise<TurnResult> => {
    const key = sessionKey(options.channelId, options.userId);
    const handoffId = context.generateId();
    return context.serialize(key, async () => {
      const stored = (await sessions.get(key))?.session;
      const decide = (unfinishedSkills: string[]) =>
        context.router.decide({
          unfinishedSkills,
          ...(options.team === undefined ? {} : { team: options.team }),
        });
      // The team's availability is asked before the write, for the decision the session implies now.
      const planned = decide([...(options.unfinishedSkills ?? stored?.unfinishedSkills ?? [])]);
      const availability =
        stored?.mode === 'bot' || stored === undefined
          ? planned.action === 'transfer'
            ? {
                team: planned.target.team,
                result: await teamAvailability(context, planned.target.team, options.signal),
              }
            : undefined
          : undefined;
      return context.update<TurnResult>(key, (current) => {
        const session = current ?? context.newSession(key, options);
        if (session.mode !== 'bot') return { skip: context.turnResult(session, []) };
        const unfinishedSkills = [...(options.unfinishedSkills ?? session.unfinishedSkills)];
        const decision = decide(unfinishedSkills);
        const items: NewOutboxItem[] = [];
        const reply = planHandoff(
          context,
          session,
          decision,
          {
            handoffId,
            unfinishedSkills,
            skillSlots: options.unfinishedSkills === undefined ? session.unfinishedSkillSlots : undefined,
            requestedReason: options.reason,
            availability:
              decision.action === 'transfer' && decision.target.team === availability?.team
                ? availability.result
                : undefined,
          },
          items,
        );
        return { session, items, result: context.turnResult(session, [reply]) };
      });
    });
  };

  /** Parts of a webhook or a read-back the adapter could not read: reported, never dropped in silence. */
  const reportUnreadable = (result: { unreadable?: ReadonlyArray<{ field: string; reason: string }> }) => {
    for (const part of result.unreadable ?? []) {
      context.telemetry({
        type: 'webhook.unreadable',
        provider: support.provider,
        field: part.field,
        reason: part.reason,
      });
    }
  };

  const closeSession = async (options: CloseSessionRequest): Promise<TurnResult> => {
    const key = sessionKey(options.channelId, options.userId);
    return context.serialize(key, () =>
      context.update<TurnResult>(key, (current) => {
        if (current === undefined) return { skip: context.turnResult(context.newSession(key, options), []) };
        if (current.mode === 'bot' && current.conversation === undefined) {
          return { skip: context.turnResult(current, []) };
        }
        const wasWithHuman = current.mode !== 'bot';
        const items: NewOutboxItem[] = [];
        giveBackToBot(
          context,
          current,
          'user_cancelled',
          items,
          options.note ?? 'The user went back to the bot.',
        );
        const replies = wasWithHuman
          ? [context.notice(current, 'returnedToBot', `returned:${context.generateId()}`)]
          : [];
        return { session: current, items, result: context.turnResult(current, replies) };
      }),
    );
  };

  return {
    handleUserMessage: (options) => handleUserMessage(context, options),
    requestHandoff,
    closeSession,
    async handleWebhook(options) {
      const result = await support.handleWebhook(options);
      reportUnreadable(result);
      await applyEvents(context, result.events);
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
      const delivery = result.deliveryId ?? context.generateId();
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
    applyEvents: (events) => applyEvents(context, events),
    async catchUp(options = {}) {
      const sync = support.syncConversation?.bind(support);
      const totals = { conversations: 0, events: 0, failed: 0 };
      if (sync === undefined || !support.capabilities.catchUp) return totals;
      const closedSince = context.now().getTime() - (options.closedWithinMs ?? 60 * 60 * 1000);
      for (const { key, conversationId } of await sessions.listConversations()) {
        const session = (await sessions.get(key))?.session;
        if (session === undefined) continue;
        // Conversations handed to a team (before the transfer, `pending` means "not yet"), and those
        // closed lately: an agent's last replies whose webhooks were lost still reach the user.
        const held =
          session.mode === 'human' &&
          session.conversation?.conversationId === conversationId &&
          session.conversation.transferred === true;
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
          await applyEvents(context, events);
        } catch (error) {
          totals.failed += 1;
          context.telemetry({ type: 'catch-up.failed', conversationId, error: errorCode(error) });
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

import { mayHaveBeenDelivered, type NewOutboxItem, type OutboxItem } from '../contract/outbox.js';
import { PermanentDeliveryFailure } from '../delivery/outbox-worker.js';
import { isSupportError, SupportError } from '../errors/support-error.js';
import type { AgentMessageEvent } from '../schemas/support-event.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import { conversationOf } from '../session/session-transitions.js';
import { acceptAgentMessage, releaseHeldAgentMessages } from './agent-message-order.js';
import { enqueueForChannel } from './channel-enqueue.js';
import type { EngineContext } from './engine-context.js';
import type { EngineOutboxItem, OutboxPayloads } from './engine-outbox-items.js';
import { applyEvents } from './event-application.js';
import { giveBackToBot } from './handoff-steps.js';
import { createUndeliveredReports } from './undelivered-reports.js';

/** For a system without attachments: the files become links in the text, never dropped. */
function withoutAttachments(message: TranscriptMessage): TranscriptMessage {
  if ((message.attachments?.length ?? 0) === 0) return message;
  const links = (message.attachments ?? []).map(
    (attachment) => `[${attachment.name ?? attachment.contentType}: ${attachment.url}]`,
  );
  const { attachments: _attachments, ...rest } = message;
  return { ...rest, text: [message.text, ...links].filter((part) => part !== '').join('\n') };
}

/** How each kind of outbox item is delivered, and what parking one means for its session. */
export function createDeliveryHandlers(context: EngineContext) {
  const { support } = context;
  const undelivered = createUndeliveredReports(context);
  const load = async (key: string) => (await context.sessions.get(key))?.session;
  const stale = (item: OutboxItem, key: string) =>
    context.telemetry({ type: 'delivery.stale', kind: item.kind, key });

  const deliverOpen = async (
    payload: OutboxPayloads['support.open'],
    item: OutboxItem,
    signal: AbortSignal,
  ) => {
    const session = await load(payload.key);
    if (session?.conversation?.handoffId !== payload.handoffId) return stale(item, payload.key);
    if (session.conversation.conversationId !== undefined) return;
    const cachedUserId = session.supportUserId;
    const supportUserId =
      cachedUserId ??
      (await support.ensureUser({ user: { ...session.profile, id: session.userId }, signal })).supportUserId;
    const handoff = session.handoff?.id === payload.handoffId ? session.handoff : undefined;
    let opened: { conversationId: string; recovered: boolean; postedFirstMessage?: boolean };
    try {
      opened = await support.openConversation({
        supportUserId,
        sessionId: session.sessionId,
        handoffId: payload.handoffId,
        recover: mayHaveBeenDelivered(item),
        ...(payload.firstMessage === undefined ? {} : { firstMessage: payload.firstMessage }),
        attributes: {
          channel: session.channelId,
          user: session.userId,
          ...(handoff?.team === undefined ? {} : { handoff_team: handoff.teamLabel ?? handoff.team }),
          ...(handoff?.matchedSkill === undefined ? {} : { handoff_skill: handoff.matchedSkill }),
          ...(handoff?.requestedReason === undefined ? {} : { handoff_reason: handoff.requestedReason }),
        },
        signal,
      });
    } catch (error) {
      if (isSupportError(error) && error.code === 'not_found' && cachedUserId !== undefined) {
        // The support user we remembered is gone (deleted on the support side): find or create it again.
        await context.update<void>(payload.key, (current) => {
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
    const closeNow = await context.update<boolean>(payload.key, (current) => {
      if (current === undefined) return { skip: false };
      current.supportUserId = supportUserId;
      if (current.conversation?.handoffId === payload.handoffId) {
        current.conversation.conversationId = opened.conversationId;
        if (opened.recovered) current.conversation.recovered = true;
        if (opened.postedFirstMessage === true && payload.firstMessage !== undefined) {
          current.conversation.postedWithOpen = payload.firstMessage.id;
        }
        return { session: current, result: false };
      }
      if (current.previousConversation?.handoffId === payload.handoffId) {
        // The user went back to the bot while the conversation was being opened: close it again.
        current.previousConversation.conversationId = opened.conversationId;
      }
      return { session: current, result: true };
    });
    if (closeNow) await support.closeSession({ conversationId: opened.conversationId, signal });
  };

  /** Answers whether it posted (false: the conversation is no more, nothing to post into). */
  const deliverPost = async (
    payload: OutboxPayloads['support.post'],
    item: OutboxItem,
    signal: AbortSignal,
  ): Promise<boolean> => {
    const session = await load(payload.key);
    const conversation = session === undefined ? undefined : conversationOf(session, payload.handoffId);
    if (conversation === undefined || (!conversation.current && conversation.conversationId === undefined)) {
      // The handoff was cancelled before its conversation existed: nothing to post into.
      stale(item, payload.key);
      return false;
    }
    if (conversation.conversationId === undefined)
      throw new PermanentDeliveryFailure('the support conversation was never opened');
    const unposted = payload.messages.filter((message) => message.id !== conversation.postedWithOpen);
    const messages = support.capabilities.attachments === false ? unposted.map(withoutAttachments) : unposted;
    const perPost = support.capabilities.maxMessagesPerPost;
    for (let start = 0; start < messages.length; start += perPost) {
      await support.postMessages({
        conversationId: conversation.conversationId,
        messages: messages.slice(start, start + perPost),
        // A conversation found again after a crash may already hold some of these.
        recover: mayHaveBeenDelivered(item) || conversation.recovered === true,
        signal,
      });
    }
    return true;
  };

  const deliverTransfer = async (
    payload: OutboxPayloads['support.transfer'],
    item: OutboxItem,
    signal: AbortSignal,
  ) => {
    const session = await load(payload.key);
    const conversation = session?.conversation;
    if (conversation?.handoffId !== payload.handoffId) return stale(item, payload.key);
    if (conversation.transferred) return;
    if (conversation.conversationId === undefined)
      throw new PermanentDeliveryFailure('the support conversation was never opened');
    await support.transfer({
      conversationId: conversation.conversationId,
      team: payload.team,
      note: payload.note,
      ...(payload.labels === undefined ? {} : { labels: payload.labels }),
      recover: mayHaveBeenDelivered(item),
      signal,
    });
    await context.update<void>(payload.key, (current) => {
      if (current?.conversation?.handoffId !== payload.handoffId) return { skip: undefined };
      current.conversation.transferred = true;
      return { session: current, result: undefined };
    });
    context.telemetry({ type: 'handoff.transferred', key: payload.key, team: payload.team });
  };

  const deliverClose = async (payload: OutboxPayloads['support.close'], signal: AbortSignal) => {
    let conversationId = payload.conversationId;
    if (conversationId === undefined) {
      const session = await load(payload.key);
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

  /** The wait timer of a user who chose to wait: nobody answered in time, the bot takes over. */
  /**
   * Held agent messages of a session whose wait is over go to the user, in the system's order.
   * First, a system that can be read back (capability `catchUp`) is asked what it has after the
   * last message the user got: one whose webhook is late or was lost is sent in its place, not
   * after. If the system cannot be read now, what is held goes anyway.
   */
  const releaseAgentMessages = async (
    payload: OutboxPayloads['session.release-agent-messages'],
    signal: AbortSignal,
  ) =>
    context.serialize(payload.key, async () => {
      const before = await load(payload.key);
      const conversationId = before?.conversation?.conversationId;
      let readBack: AgentMessageEvent[] = [];
      const sync = support.syncConversation?.bind(support);
      if (
        sync !== undefined &&
        support.capabilities.catchUp &&
        (before?.heldAgentMessages?.length ?? 0) > 0 &&
        conversationId !== undefined
      ) {
        try {
          const { events } = await sync({
            conversationId,
            ...(before?.lastRelayedAgentMessageId === undefined
              ? {}
              : { afterMessageId: before.lastRelayedAgentMessageId }),
            signal,
          });
          readBack = events.filter((event): event is AgentMessageEvent => event.type === 'agent.message');
        } catch (error) {
          context.telemetry({
            type: 'catch-up.failed',
            conversationId,
            error: isSupportError(error) ? error.code : error instanceof Error ? error.name : 'error',
          });
        }
      }
      await context.update<void>(payload.key, (session) => {
        if (session === undefined) return { skip: undefined };
        const items: NewOutboxItem[] = [];
        let changed = false;
        for (const event of readBack) {
          if (session.conversation?.conversationId !== event.conversationId) continue;
          changed = acceptAgentMessage(context, session, event, items, { due: true }) || changed;
        }
        changed = releaseHeldAgentMessages(context, session, items) || changed;
        return changed ? { session, items, result: undefined } : { skip: undefined };
      });
    });

  const waitTimedOut = async (payload: OutboxPayloads['session.wait-timeout']) =>
    context.serialize(payload.key, () =>
      context.update<void>(payload.key, (session) => {
        const handoff = session?.handoff;
        if (session?.mode !== 'human' || handoff?.id !== payload.handoffId || handoff.agentEngaged)
          return { skip: undefined };
        const items: NewOutboxItem[] = [];
        const team = context.teamName(handoff.team, handoff.teamLabel);
        const waited = context.waitTimeoutMs;
        const duration =
          waited < 60_000
            ? `${Math.max(1, Math.round(waited / 1000))} s`
            : `${Math.round(waited / 60_000)} min`;
        giveBackToBot(
          context,
          session,
          'no_agent',
          items,
          `Nobody answered within ${duration}; the user went back to the bot.`,
        );
        enqueueForChannel(
          context,
          session,
          context.notice(session, 'waitTimedOut', `wait-timed-out:${payload.handoffId}`, { team }),
          items,
        );
        return { session, items, result: undefined };
      }),
    );

  return {
    async deliver(item: OutboxItem, { signal }: { signal: AbortSignal }): Promise<void> {
      const engineItem = item as OutboxItem & EngineOutboxItem;
      switch (engineItem.kind) {
        case 'support.open':
          return deliverOpen(engineItem.payload, item, signal);
        case 'support.post':
          // Tried before (an operator may have retried it after its user was told it failed).
          if ((await deliverPost(engineItem.payload, item, signal)) && mayHaveBeenDelivered(item))
            await undelivered.delivered(item);
          return;
        case 'support.transfer':
          return deliverTransfer(engineItem.payload, item, signal);
        case 'support.close':
          return deliverClose(engineItem.payload, signal);
        case 'channel.deliver':
          await context.channel.deliver(engineItem.payload, { signal });
          if (mayHaveBeenDelivered(item)) await undelivered.delivered(item);
          return;
        case 'support.events':
          return applyEvents(context, engineItem.payload.events, { signal });
        case 'session.wait-timeout':
          return waitTimedOut(engineItem.payload);
        case 'session.release-agent-messages':
          return releaseAgentMessages(engineItem.payload, signal);
        default:
          throw new PermanentDeliveryFailure(`unknown delivery kind ${(item as OutboxItem).kind}`);
      }
    },

    /** Before an item is parked: whoever a message that will not arrive concerns is told. */
    onParking: (item: OutboxItem) => undelivered.parking(item),

    /** A parked open or transfer means the handoff failed: the bot takes over and the user is told. */
    async onParked(item: OutboxItem, reason: string): Promise<void> {
      context.telemetry({ type: 'delivery.parked', kind: item.kind, id: item.id, reason });
      const engineItem = item as OutboxItem & EngineOutboxItem;
      if (engineItem.kind !== 'support.open' && engineItem.kind !== 'support.transfer') return;
      const { key, handoffId } = engineItem.payload;
      await context.serialize(key, () =>
        context.update<void>(key, (session) => {
          if (session?.conversation?.handoffId !== handoffId) return { skip: undefined };
          const items: NewOutboxItem[] = [];
          const wasWithHuman = session.mode !== 'bot';
          const team = context.teamName(session.conversation.team, session.conversation.teamLabel);
          giveBackToBot(context, session, 'handoff_failed', items);
          context.telemetry({ type: 'handoff.failed', key, reason });
          if (wasWithHuman) {
            enqueueForChannel(
              context,
              session,
              context.notice(session, 'handoffFailed', `handoff-failed:${handoffId}`, { team }),
              items,
            );
          }
          return { session, items, result: undefined };
        }),
      );
    },
  };
}

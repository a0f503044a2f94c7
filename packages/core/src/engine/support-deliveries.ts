// Deliveries to the support system: open the conversation, post into it, transfer it, close it.

import { mayHaveBeenDelivered, type OutboxItem } from '../contract/outbox.js';
import type { SessionStore } from '../contract/session-store.js';
import type { SupportAdapter } from '../contract/support-adapter.js';
import { PermanentDeliveryFailure } from '../delivery/outbox-worker.js';
import { isSupportError, SupportError } from '../errors/support-error.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import { conversationOf } from '../session/session-transitions.js';
import type { SessionUpdater } from '../session/session-updates.js';
import type { OutboxPayloads } from './engine-outbox-items.js';
import type { EngineTelemetryEvent } from './engine-types.js';
import type { SupportUserPrefetch } from './support-user-prefetch.js';

export interface SupportDeliveriesSettings {
  support: SupportAdapter;
  /** Told after a conversation was transferred (and the session says so). */
  onTransferred?: (key: string, conversationId: string, signal: AbortSignal) => Promise<void>;
  /** Support users found while the handoff asked for availability. */
  supportUserPrefetch?: Pick<SupportUserPrefetch, 'take'>;
  /** See `HandoffEngineSettings.supportIntegration`. */
  supportIntegration?: string | undefined;
  sessions: Pick<SessionStore, 'get'>;
  updater: SessionUpdater;
  telemetry: (event: EngineTelemetryEvent) => void;
}

/** Each delivers one outbox item of its kind; throws to have it retried (or parked). */
export interface SupportDeliveries {
  open(payload: OutboxPayloads['support.open'], item: OutboxItem, signal: AbortSignal): Promise<void>;
  /** Answers whether it posted (false: the conversation is no more, nothing to post into). */
  post(payload: OutboxPayloads['support.post'], item: OutboxItem, signal: AbortSignal): Promise<boolean>;
  transfer(payload: OutboxPayloads['support.transfer'], item: OutboxItem, signal: AbortSignal): Promise<void>;
  close(payload: OutboxPayloads['support.close'], signal: AbortSignal): Promise<void>;
}

/** For a system without attachments: the files become links in the text, never dropped. */
function withoutAttachments(message: TranscriptMessage): TranscriptMessage {
  if ((message.attachments?.length ?? 0) === 0) return message;
  const links = (message.attachments ?? []).map(
    (attachment) => `[${attachment.name ?? attachment.contentType}: ${attachment.url}]`,
  );
  const { attachments: _attachments, ...rest } = message;
  return { ...rest, text: [message.text, ...links].filter((part) => part !== '').join('\n') };
}

export function createSupportDeliveries(settings: SupportDeliveriesSettings): SupportDeliveries {
  const { support, sessions, updater, telemetry, supportIntegration } = settings;
  const load = async (key: string) => (await sessions.get(key))?.session;
  const stale = (item: OutboxItem, key: string) =>
    telemetry({ type: 'delivery.stale', kind: item.kind, key });

  return {
    async open(payload, item, signal) {
      const session = await load(payload.key);
      if (session?.conversation?.handoffId !== payload.handoffId) return stale(item, payload.key);
      if (session.conversation.conversationId !== undefined) return;
      // A support user id found with another integration means nothing (or someone else) here.
      const cachedUserId =
        session.supportUserIntegration === supportIntegration ? session.supportUserId : undefined;
      const ensure = async () =>
        (await support.ensureUser({ user: { ...session.profile, id: session.userId }, signal }))
          .supportUserId;
      const prefetched = settings.supportUserPrefetch?.take(payload.key, session.userId);
      const supportUserId =
        cachedUserId ?? (prefetched === undefined ? await ensure() : await prefetched.catch(ensure));
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
          await updater.update<void>(payload.key, (current) => {
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
      const closeNow = await updater.update<boolean>(payload.key, (current) => {
        if (current === undefined) return { skip: false };
        current.supportUserId = supportUserId;
        if (supportIntegration === undefined) delete current.supportUserIntegration;
        else current.supportUserIntegration = supportIntegration;
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
    },

    async post(payload, item, signal) {
      const session = await load(payload.key);
      const conversation = session === undefined ? undefined : conversationOf(session, payload.handoffId);
      if (
        conversation === undefined ||
        (!conversation.current && conversation.conversationId === undefined)
      ) {
        // The handoff was cancelled before its conversation existed: nothing to post into.
        stale(item, payload.key);
        return false;
      }
      if (conversation.conversationId === undefined)
        throw new PermanentDeliveryFailure('the support conversation was never opened');
      const unposted = payload.messages.filter((message) => message.id !== conversation.postedWithOpen);
      const messages =
        support.capabilities.attachments === false ? unposted.map(withoutAttachments) : unposted;
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
    },

    async transfer(payload, item, signal) {
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
      await updater.update<void>(payload.key, (current) => {
        if (current?.conversation?.handoffId !== payload.handoffId) return { skip: undefined };
        current.conversation.transferred = true;
        return { session: current, result: undefined };
      });
      telemetry({ type: 'handoff.transferred', key: payload.key, team: payload.team });
      await settings.onTransferred?.(payload.key, conversation.conversationId, signal);
    },

    async close(payload, signal) {
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
    },
  };
}

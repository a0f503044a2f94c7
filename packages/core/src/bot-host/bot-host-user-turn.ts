// One contact message in internal mode: the bot is asked while it holds the conversation, and its
// replies and any handoff are stored with the session in one write; otherwise it stays silent.

import type { BotConnector } from '../contract/bot-connector.js';
import type { NewOutboxItem } from '../contract/outbox.js';
import type { SessionStore } from '../contract/session-store.js';
import { type BotAnswer, requestBotAnswer, unfinishedSkillsOf } from '../engine/bot-answer.js';
import { isBotError } from '../errors/bot-error.js';
import type { SkillRouter } from '../routing/skill-router.js';
import type { ContactMessageEvent } from '../schemas/bot-host-event.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import type { HandoffSession } from '../session/handoff-session.js';
import { createSession, rememberMessageId } from '../session/session-transitions.js';
import type { SessionUpdater } from '../session/session-updates.js';
import type { BotHostHandoffSteps } from './bot-host-handoff-steps.js';
import { hostAnswerItem } from './bot-host-outbox-items.js';
import type { BotHostTelemetryEvent } from './bot-host-types.js';

export interface BotHostUserTurnSettings {
  bot: BotConnector;
  router: Pick<SkillRouter, 'decide' | 'defaultDecision'>;
  sessions: Pick<SessionStore, 'get'>;
  updater: SessionUpdater;
  steps: BotHostHandoffSteps;
  /** The channel id bot sessions are filed under and the bot is told. */
  channelId: string;
  /** Longest the bot may take to answer one message before it counts as failed. */
  botTimeoutMs: number;
  /** The session key of a hosted conversation. */
  keyOf: (conversationId: string) => string;
  now: () => Date;
  generateId: () => string;
  telemetry: (event: BotHostTelemetryEvent) => void;
}

export interface BotHostUserTurn {
  /**
   * A contact wrote. While the bot holds the conversation it is asked once, and its replies and any
   * handoff are stored with the session in one write. A human holding it, or a handoff under way,
   * keeps the bot silent.
   */
  answerContact(event: ContactMessageEvent, signal: AbortSignal): Promise<void>;
}

export function createBotHostUserTurn(settings: BotHostUserTurnSettings): BotHostUserTurn {
  const { bot, router, sessions, updater, steps, channelId, keyOf, now, generateId, telemetry } = settings;

  /** Asks the bot with a deadline; its answer is validated here. */
  const askBot = (
    session: HandoffSession,
    event: ContactMessageEvent,
    signal: AbortSignal,
  ): Promise<BotAnswer> =>
    requestBotAnswer(
      bot,
      {
        session: { channelId, userId: event.contact.id, sessionId: session.sessionId },
        message: {
          id: event.message.id,
          text: event.message.text,
          ...(event.message.attachments === undefined ? {} : { attachments: event.message.attachments }),
        },
        ...(session.profile === undefined ? {} : { profile: session.profile }),
        ...(session.returned === undefined ? {} : { returned: session.returned }),
      },
      { signal: AbortSignal.any([signal, AbortSignal.timeout(settings.botTimeoutMs)]) },
    );

  const answerContact = async (event: ContactMessageEvent, signal: AbortSignal): Promise<void> => {
    const key = keyOf(event.conversationId);
    const messageId = event.message.id;
    const stored = (await sessions.get(key))?.session;
    if (stored?.recentMessageIds.includes(messageId)) return;

    const profile = {
      ...(event.contact.name === undefined ? {} : { name: event.contact.name }),
      ...(event.contact.email === undefined ? {} : { email: event.contact.email }),
      ...(event.contact.phone === undefined ? {} : { phone: event.contact.phone }),
    };
    let returned = false;
    const session =
      stored === undefined
        ? createSession({
            key,
            channelId,
            userId: event.contact.id,
            sessionId: generateId(),
            now: now().toISOString(),
          })
        : structuredClone(stored);
    if (Object.keys(profile).length > 0) session.profile = { ...session.profile, ...profile };

    const silent = (reason: 'human' | 'closed' | 'handing-off') => {
      telemetry({ type: 'host.silent', conversationId: event.conversationId, reason });
      return updater.update<boolean>(key, (current) => {
        if (current?.recentMessageIds.includes(messageId)) return { skip: false };
        const next = current === undefined ? session : structuredClone(current);
        rememberMessageId(next, messageId);
        if (reason !== 'handing-off' && next.handoff === undefined) next.mode = 'human';
        return { session: next, result: true };
      });
    };
    if (event.holder !== 'bot') {
      await silent(event.holder === 'closed' ? 'closed' : 'human');
      return;
    }
    if (session.mode !== 'bot') {
      if (session.handoff !== undefined) {
        await silent('handing-off');
        return;
      }
      steps.startFreshBotSession(session);
      returned = true;
    }

    const turnId = `${event.conversationId}:${messageId}`;
    const items: NewOutboxItem[] = [];
    let replies = 0;
    try {
      const response = await askBot(session, event, signal);
      delete session.returned;
      const skills = unfinishedSkillsOf(response);
      session.unfinishedSkills = skills.names;
      if (skills.slots === undefined) delete session.unfinishedSkillSlots;
      else session.unfinishedSkillSlots = skills.slots;
      const createdAt = now().toISOString();
      const messages: TranscriptMessage[] = response.replies
        .filter((reply) => reply.text.length > 0 || (reply.attachments?.length ?? 0) > 0)
        .map((reply, index) => ({
          id: `${messageId}:reply:${index}`,
          author: 'bot',
          text: reply.text,
          createdAt,
          ...(reply.attachments === undefined ? {} : { attachments: reply.attachments }),
        }));
      replies = messages.length;
      if (messages.length > 0) {
        items.push(hostAnswerItem('host.reply', turnId, { conversationId: event.conversationId, messages }));
      }
      if (response.handoff !== undefined) {
        const decision = steps.transferDecision(
          router.decide({
            unfinishedSkills: skills.names,
            ...(response.handoff.team === undefined ? {} : { team: response.handoff.team }),
          }),
        );
        items.push(
          steps.planHandoff(session, decision, turnId, {
            conversationId: event.conversationId,
            unfinishedSkills: skills.names,
            ...(skills.slots === undefined ? {} : { skillSlots: skills.slots }),
            ...(response.handoff.reason === undefined ? {} : { requestedReason: response.handoff.reason }),
          }),
        );
      }
    } catch (error) {
      if (!isBotError(error) || signal.aborted) throw error;
      // Chatwoot itself opens the conversation when its bot fails; a person gets the contact either way.
      telemetry({ type: 'host.bot-failed', conversationId: event.conversationId, error: error.code });
      items.push(
        steps.planHandoff(
          session,
          steps.transferDecision(router.defaultDecision(`the bot could not answer (${error.code})`)),
          turnId,
          { conversationId: event.conversationId, unfinishedSkills: session.unfinishedSkills },
        ),
      );
    }
    rememberMessageId(session, messageId);
    const written = await updater.update<boolean>(key, (current) => {
      if (current?.recentMessageIds.includes(messageId)) return { skip: false };
      // Events of a conversation are applied one at a time, so this only happens when a lease ran out.
      if (JSON.stringify(current) !== JSON.stringify(stored)) {
        throw new Error(`bot session of conversation ${event.conversationId} changed while the bot answered`);
      }
      return { session, items, result: true };
    });
    if (written && returned) telemetry({ type: 'host.returned', conversationId: event.conversationId });
    if (written) {
      telemetry({
        type: 'host.answered',
        conversationId: event.conversationId,
        replies,
        handoff: items.some((item) => item.kind === 'host.handoff'),
      });
    }
  };

  return { answerContact };
}

// One user message in external mode: to the bot, to the topic question, to the no-agent offer, or
// to the human who holds the session.

import type { z } from 'zod';
import type { BotConnector } from '../contract/bot-connector.js';
import type { NewOutboxItem } from '../contract/outbox.js';
import type { SessionStore } from '../contract/session-store.js';
import type { TeamAvailability } from '../contract/support-adapter.js';
import type { SupportCapabilities } from '../contract/support-capabilities.js';
import { InputError } from '../errors/input-error.js';
import type { RoutingDecision, SkillRouter } from '../routing/skill-router.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import { type HandoffSession, type OutboundMessage, sessionKey } from '../session/handoff-session.js';
import type { KeyedMutex } from '../session/keyed-mutex.js';
import { rememberMessageId } from '../session/session-transitions.js';
import type { SessionUpdater } from '../session/session-updates.js';
import { type BotAnswer, requestBotAnswer, unfinishedSkillsOf } from './bot-answer.js';
import {
  type SessionReference,
  type TurnResult,
  turnResultOf,
  type UserMessageOptions,
  userMessageOptionsSchema,
} from './engine-types.js';
import type { HandoffSteps } from './handoff-steps.js';
import type { HandoffSummary } from './handoff-summary.js';
import type { NoticeWriter } from './notice-writer.js';
import { formatTopicList } from './notices.js';
import type { SupportUserPrefetch } from './support-user-prefetch.js';
import type { TeamAvailabilityCheck } from './team-availability.js';

export interface UserTurnSettings {
  /** Read at each message: the attachment limits the support system takes. */
  support: { readonly capabilities: Pick<SupportCapabilities, 'attachments'> };
  bot: BotConnector;
  router: Pick<SkillRouter, 'decide' | 'resolveTopic' | 'defaultDecision' | 'topics'>;
  sessions: Pick<SessionStore, 'get'>;
  updater: SessionUpdater;
  mutex: KeyedMutex;
  steps: Pick<HandoffSteps, 'recordTurn' | 'planHandoff' | 'answerNoAgentOffer' | 'giveBackToBot'>;
  teamAvailability: TeamAvailabilityCheck;
  /** The summary a handoff's context note opens with (asked while availability is asked). */
  handoffSummary: HandoffSummary;
  /** Finds the support user while availability is asked, for a handoff about to be made. */
  supportUserPrefetch: Pick<SupportUserPrefetch, 'start'>;
  notices: Pick<NoticeWriter, 'notice'>;
  /** Answers to the topic question that name no topic before the default team is used. */
  maxTopicAttempts: number;
  /** Whether a whole message gives the session back to the bot. */
  isReturnPhrase: (text: string) => boolean;
  /** A new session for a user the engine has not seen (or whose session is gone). */
  newSession: (key: string, reference: SessionReference) => HandoffSession;
  now: () => Date;
  generateId: () => string;
}

export interface UserTurn {
  /** One user message: to the bot, to the topic question, to the no-agent offer, or to the human. */
  handleUserMessage(options: UserMessageOptions): Promise<TurnResult>;
}

interface BotTurn {
  replies: OutboundMessage[];
  messages: TranscriptMessage[];
  response: BotAnswer;
}

export function createUserTurn(settings: UserTurnSettings): UserTurn {
  const { bot, router, sessions, updater, mutex, steps, notices, now, generateId } = settings;

  /** Refuses attachments the support system could never take: too many, or too large. */
  const checkAttachments = (message: z.output<typeof userMessageOptionsSchema>['message']) => {
    const limits = settings.support.capabilities.attachments;
    const attachments = message.attachments ?? [];
    if (limits === false || attachments.length === 0) return;
    if (attachments.length > limits.maxPerMessage) {
      throw new InputError([
        {
          path: ['message', 'attachments'],
          message: `at most ${limits.maxPerMessage} attachments per message`,
        },
      ]);
    }
    attachments.forEach((attachment, index) => {
      if (attachment.size !== undefined && attachment.size > limits.maxBytes) {
        throw new InputError([
          {
            path: ['message', 'attachments', index, 'size'],
            message: `${attachment.size} bytes is more than the support system takes (${limits.maxBytes})`,
          },
        ]);
      }
    });
  };

  /** Asks the bot, outside any write; its answer is validated here. */
  const askBot = async (
    snapshot: HandoffSession,
    userMessage: TranscriptMessage,
    profile: HandoffSession['profile'],
    signal: AbortSignal | undefined,
  ): Promise<BotTurn> => {
    const response = await requestBotAnswer(
      bot,
      {
        session: { channelId: snapshot.channelId, userId: snapshot.userId, sessionId: snapshot.sessionId },
        message: {
          id: userMessage.id,
          text: userMessage.text,
          ...(userMessage.attachments === undefined ? {} : { attachments: userMessage.attachments }),
        },
        ...(profile === undefined && snapshot.profile === undefined
          ? {}
          : { profile: { ...snapshot.profile, ...profile } }),
        ...(snapshot.returned === undefined ? {} : { returned: snapshot.returned }),
      },
      signal === undefined ? {} : { signal },
    );
    const createdAt = now().toISOString();
    const replies: OutboundMessage[] = [];
    const messages: TranscriptMessage[] = [];
    response.replies.forEach((reply, index) => {
      if (reply.text.length === 0 && (reply.attachments?.length ?? 0) === 0) return;
      const id = `${userMessage.id}:reply:${index}`;
      const attachments = reply.attachments === undefined ? {} : { attachments: reply.attachments };
      replies.push({ id, kind: 'bot', text: reply.text, createdAt, ...attachments });
      messages.push({ id, author: 'bot', text: reply.text, createdAt, ...attachments });
    });
    return { replies, messages, response };
  };

  /** The team a turn will hand off to, if it will, known before the write (to check availability). */
  const plannedDecision = (snapshot: HandoffSession, text: string, botTurn: BotTurn | undefined) => {
    if (botTurn !== undefined) {
      const requested = botTurn.response.handoff;
      if (requested === undefined) return undefined;
      return router.decide({
        unfinishedSkills: unfinishedSkillsOf(botTurn.response).names,
        ...(requested.team === undefined ? {} : { team: requested.team }),
      });
    }
    if (snapshot.mode !== 'choosing-team') return undefined;
    const chosen = router.resolveTopic(text);
    if (chosen !== undefined) return chosen;
    const attempts = (snapshot.handoff?.topicAttempts ?? 0) + 1;
    return attempts < settings.maxTopicAttempts
      ? undefined
      : router.defaultDecision(`the user named no topic in ${attempts} answers`);
  };

  /** Availability of the team a decision names (undefined when there is no transfer to check). */
  const availabilityFor = async (
    decision: RoutingDecision | undefined,
    session: HandoffSession,
    signal: AbortSignal | undefined,
  ) => {
    if (decision?.action !== 'transfer') return undefined;
    const findSupportUser = () => {
      if (session.conversation?.conversationId === undefined) settings.supportUserPrefetch.start(session);
    };
    return {
      team: decision.target.team,
      availability: await settings.teamAvailability(decision.target.team, signal, findSupportUser),
    };
  };

  const handleUserMessage = async (options: UserMessageOptions): Promise<TurnResult> => {
    const parsed = userMessageOptionsSchema.safeParse(options);
    if (!parsed.success) throw InputError.fromZod(parsed.error);
    checkAttachments(parsed.data.message);
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
      const snapshot = stored?.session ?? settings.newSession(key, { channelId, userId });
      if (snapshot.recentMessageIds.includes(messageId)) return turnResultOf(snapshot, [], true);

      // The bot (and the support system, about availability) are asked outside the write, with the
      // session as it was; the answers are then applied to the session as it is.
      const botTurn =
        snapshot.mode === 'bot' ? await askBot(snapshot, userMessage, profile, options.signal) : undefined;
      const requested = botTurn?.response.handoff;
      const [checked, summary] = await Promise.all([
        settings.isReturnPhrase(userMessage.text)
          ? undefined
          : availabilityFor(
              plannedDecision(snapshot, userMessage.text, botTurn),
              profile === undefined
                ? snapshot
                : { ...snapshot, profile: { ...snapshot.profile, ...profile } },
              options.signal,
            ),
        botTurn === undefined || requested === undefined
          ? undefined
          : settings.handoffSummary(
              key,
              {
                messages: [...snapshot.transcript, userMessage, ...botTurn.messages],
                unfinishedSkills: unfinishedSkillsOf(botTurn.response).names,
                ...(requested.reason === undefined ? {} : { reason: requested.reason }),
              },
              options.signal,
            ),
      ]);
      const availabilityOf = (decision: RoutingDecision): TeamAvailability | undefined =>
        decision.action === 'transfer' && decision.target.team === checked?.team
          ? checked.availability
          : undefined;

      return updater.update<TurnResult | 'changed'>(
        key,
        (current) => {
          // A first message: store the very session the bot was asked with (same bot session id).
          const session = current ?? structuredClone(snapshot);
          if (session.recentMessageIds.includes(messageId)) return { skip: turnResultOf(session, [], true) };
          const items: NewOutboxItem[] = [];
          const replies: OutboundMessage[] = [];
          rememberMessageId(session, messageId);
          if (profile !== undefined) session.profile = { ...session.profile, ...profile };
          const done = () => ({ session, items, result: turnResultOf(session, replies) });

          if (settings.isReturnPhrase(userMessage.text) && session.mode !== 'bot') {
            steps.recordTurn(session, [userMessage], handoffId, items);
            steps.giveBackToBot(session, 'user_cancelled', items, 'The user went back to the bot.');
            replies.push(notices.notice(session, 'returnedToBot', `returned:${messageId}`));
            return done();
          }

          if (session.mode === 'human') {
            steps.recordTurn(session, [userMessage], handoffId, items);
            return done();
          }

          if (session.mode === 'no-agent') {
            steps.recordTurn(session, [userMessage], handoffId, items);
            replies.push(steps.answerNoAgentOffer(session, userMessage.text, messageId, items));
            return done();
          }

          if (session.mode === 'choosing-team') {
            steps.recordTurn(session, [userMessage], handoffId, items);
            const pending = session.handoff;
            let decision = router.resolveTopic(userMessage.text);
            if (decision === undefined) {
              const attempts = (pending?.topicAttempts ?? 0) + 1;
              if (attempts < settings.maxTopicAttempts) {
                if (pending !== undefined) pending.topicAttempts = attempts;
                replies.push(
                  notices.notice(session, 'topicNotUnderstood', `topic-retry:${messageId}`, {
                    topics: formatTopicList(router.topics.map((topic) => topic.label)),
                  }),
                );
                return done();
              }
              decision = router.defaultDecision(`the user named no topic in ${attempts} answers`);
            }
            replies.push(
              steps.planHandoff(
                session,
                decision,
                {
                  handoffId,
                  unfinishedSkills: pending?.unfinishedSkills ?? [],
                  skillSlots: pending?.skillSlots,
                  requestedReason: pending?.requestedReason,
                  summary: pending?.summary,
                  availability: availabilityOf(decision),
                },
                items,
              ),
            );
            return done();
          }

          // The bot holds the session again but was not asked (a human handed it back meanwhile).
          if (botTurn === undefined) return { skip: 'changed' };
          delete session.returned;
          const skills = unfinishedSkillsOf(botTurn.response);
          session.unfinishedSkills = skills.names;
          if (skills.slots === undefined) delete session.unfinishedSkillSlots;
          else session.unfinishedSkillSlots = skills.slots;
          steps.recordTurn(session, [userMessage, ...botTurn.messages], handoffId, items);
          replies.push(...botTurn.replies);
          if (requested !== undefined && session.mode === 'bot') {
            const decision = router.decide({
              unfinishedSkills: skills.names,
              ...(requested.team === undefined ? {} : { team: requested.team }),
            });
            replies.push(
              steps.planHandoff(
                session,
                decision,
                {
                  handoffId,
                  unfinishedSkills: skills.names,
                  skillSlots: skills.slots,
                  requestedReason: requested.reason,
                  summary,
                  availability: availabilityOf(decision),
                },
                items,
              ),
            );
          }
          return done();
        },
        { read: stored },
      );
    };

    return mutex.run(key, async () => {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const result = await runTurn();
        if (result !== 'changed') return result;
      }
      throw new Error(`session ${key} changed hands while the bot was answering; try again`);
    });
  };

  return { handleUserMessage };
}

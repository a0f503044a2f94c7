import type { z } from 'zod';
import { botResponseSchema } from '../contract/bot-connector.js';
import type { NewOutboxItem } from '../contract/outbox.js';
import type { TeamAvailability } from '../contract/support-adapter.js';
import { BotError } from '../errors/bot-error.js';
import { InputError } from '../errors/input-error.js';
import type { RoutingDecision } from '../routing/skill-router.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import { type HandoffSession, type OutboundMessage, sessionKey } from '../session/handoff-session.js';
import { rememberMessageId } from '../session/session-transitions.js';
import type { EngineContext } from './engine-context.js';
import { type TurnResult, type UserMessageOptions, userMessageOptionsSchema } from './engine-types.js';
import { answerNoAgentOffer, giveBackToBot, planHandoff, recordTurn } from './handoff-steps.js';
import { formatTopicList } from './notices.js';
import { teamAvailability } from './team-availability.js';

type BotResponse = z.output<typeof botResponseSchema>;

/** The bot's unfinished skills as names (innermost first) and the slots it filled, by skill. */
export function unfinishedSkillsOf(response: Pick<BotResponse, 'unfinishedSkills'>) {
  const names: string[] = [];
  const slots: Record<string, Record<string, string | number | boolean>> = {};
  for (const entry of response.unfinishedSkills) {
    if (typeof entry === 'string') {
      names.push(entry);
      continue;
    }
    names.push(entry.skill);
    if (entry.slots !== undefined && Object.keys(entry.slots).length > 0) slots[entry.skill] = entry.slots;
  }
  return { names, slots: Object.keys(slots).length > 0 ? slots : undefined };
}

/** Refuses attachments the support system could never take: too many, or too large. */
function checkAttachments(
  context: EngineContext,
  message: z.output<typeof userMessageOptionsSchema>['message'],
) {
  const limits = context.support.capabilities.attachments;
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
}

interface BotTurn {
  replies: OutboundMessage[];
  messages: TranscriptMessage[];
  response: BotResponse;
}

/** Asks the bot, outside any write; its answer is validated here. */
async function askBot(
  context: EngineContext,
  snapshot: HandoffSession,
  userMessage: TranscriptMessage,
  profile: HandoffSession['profile'],
  signal: AbortSignal | undefined,
): Promise<BotTurn> {
  let answer: unknown;
  try {
    answer = await context.bot.respond(
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
  const createdAt = context.now().toISOString();
  const replies: OutboundMessage[] = [];
  const messages: TranscriptMessage[] = [];
  response.data.replies.forEach((reply, index) => {
    if (reply.text.length === 0 && (reply.attachments?.length ?? 0) === 0) return;
    const id = `${userMessage.id}:reply:${index}`;
    const attachments = reply.attachments === undefined ? {} : { attachments: reply.attachments };
    replies.push({ id, kind: 'bot', text: reply.text, createdAt, ...attachments });
    messages.push({ id, author: 'bot', text: reply.text, createdAt, ...attachments });
  });
  return { replies, messages, response: response.data };
}

/** The team a turn will hand off to, if it will, known before the write (to check availability). */
function plannedDecision(
  context: EngineContext,
  snapshot: HandoffSession,
  text: string,
  botTurn: BotTurn | undefined,
) {
  if (botTurn !== undefined) {
    const requested = botTurn.response.handoff;
    if (requested === undefined) return undefined;
    return context.router.decide({
      unfinishedSkills: unfinishedSkillsOf(botTurn.response).names,
      ...(requested.team === undefined ? {} : { team: requested.team }),
    });
  }
  if (snapshot.mode !== 'choosing-team') return undefined;
  const chosen = context.router.resolveTopic(text);
  if (chosen !== undefined) return chosen;
  const attempts = (snapshot.handoff?.topicAttempts ?? 0) + 1;
  return attempts < context.maxTopicAttempts
    ? undefined
    : context.router.defaultDecision(`the user named no topic in ${attempts} answers`);
}

/** Availability of the team a decision names (undefined when there is no transfer to check). */
async function availabilityFor(
  context: EngineContext,
  decision: RoutingDecision | undefined,
  signal: AbortSignal | undefined,
) {
  if (decision?.action !== 'transfer') return undefined;
  return {
    team: decision.target.team,
    availability: await teamAvailability(context, decision.target.team, signal),
  };
}

/** One user message: to the bot, to the topic question, to the no-agent offer, or to the human. */
export async function handleUserMessage(
  context: EngineContext,
  options: UserMessageOptions,
): Promise<TurnResult> {
  const parsed = userMessageOptionsSchema.safeParse(options);
  if (!parsed.success) throw InputError.fromZod(parsed.error);
  checkAttachments(context, parsed.data.message);
  const { channelId, userId, profile } = parsed.data;
  const key = sessionKey(channelId, userId);
  const messageId = parsed.data.message.id ?? context.generateId();
  const userMessage: TranscriptMessage = {
    id: messageId,
    author: 'user',
    text: parsed.data.message.text,
    createdAt: context.now().toISOString(),
    ...(parsed.data.message.attachments === undefined
      ? {}
      : { attachments: parsed.data.message.attachments }),
  };
  const handoffId = context.generateId();

  const runTurn = async (): Promise<TurnResult | 'changed'> => {
    const stored = await context.sessions.get(key);
    const snapshot = stored?.session ?? context.newSession(key, { channelId, userId });
    if (snapshot.recentMessageIds.includes(messageId)) return context.turnResult(snapshot, [], true);

    // The bot (and the support system, about availability) are asked outside the write, with the
    // session as it was; the answers are then applied to the session as it is.
    const botTurn =
      snapshot.mode === 'bot'
        ? await askBot(context, snapshot, userMessage, profile, options.signal)
        : undefined;
    const checked = context.isReturnPhrase(userMessage.text)
      ? undefined
      : await availabilityFor(
          context,
          plannedDecision(context, snapshot, userMessage.text, botTurn),
          options.signal,
        );
    const availabilityOf = (decision: RoutingDecision): TeamAvailability | undefined =>
      decision.action === 'transfer' && decision.target.team === checked?.team
        ? checked.availability
        : undefined;

    return context.update<TurnResult | 'changed'>(
      key,
      (current) => {
        // A first message: store the very session the bot was asked with (same bot session id).
        const session = current ?? structuredClone(snapshot);
        if (session.recentMessageIds.includes(messageId))
          return { skip: context.turnResult(session, [], true) };
        const items: NewOutboxItem[] = [];
        const replies: OutboundMessage[] = [];
        rememberMessageId(session, messageId);
        if (profile !== undefined) session.profile = { ...session.profile, ...profile };
        const done = () => ({ session, items, result: context.turnResult(session, replies) });

        if (context.isReturnPhrase(userMessage.text) && session.mode !== 'bot') {
          recordTurn(context, session, [userMessage], handoffId, items);
          giveBackToBot(context, session, 'user_cancelled', items, 'The user went back to the bot.');
          replies.push(context.notice(session, 'returnedToBot', `returned:${messageId}`));
          return done();
        }

        if (session.mode === 'human') {
          recordTurn(context, session, [userMessage], handoffId, items);
          return done();
        }

        if (session.mode === 'no-agent') {
          recordTurn(context, session, [userMessage], handoffId, items);
          replies.push(answerNoAgentOffer(context, session, userMessage.text, messageId, items));
          return done();
        }

        if (session.mode === 'choosing-team') {
          recordTurn(context, session, [userMessage], handoffId, items);
          const pending = session.handoff;
          let decision = context.router.resolveTopic(userMessage.text);
          if (decision === undefined) {
            const attempts = (pending?.topicAttempts ?? 0) + 1;
            if (attempts < context.maxTopicAttempts) {
              if (pending !== undefined) pending.topicAttempts = attempts;
              replies.push(
                context.notice(session, 'topicNotUnderstood', `topic-retry:${messageId}`, {
                  topics: formatTopicList(context.router.topics.map((topic) => topic.label)),
                }),
              );
              return done();
            }
            decision = context.router.defaultDecision(`the user named no topic in ${attempts} answers`);
          }
          replies.push(
            planHandoff(
              context,
              session,
              decision,
              {
                handoffId,
                unfinishedSkills: pending?.unfinishedSkills ?? [],
                skillSlots: pending?.skillSlots,
                requestedReason: pending?.requestedReason,
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
        recordTurn(context, session, [userMessage, ...botTurn.messages], handoffId, items);
        replies.push(...botTurn.replies);
        const requested = botTurn.response.handoff;
        if (requested !== undefined && session.mode === 'bot') {
          const decision = context.router.decide({
            unfinishedSkills: skills.names,
            ...(requested.team === undefined ? {} : { team: requested.team }),
          });
          replies.push(
            planHandoff(
              context,
              session,
              decision,
              {
                handoffId,
                unfinishedSkills: skills.names,
                skillSlots: skills.slots,
                requestedReason: requested.reason,
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

  return context.serialize(key, async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await runTurn();
      if (result !== 'changed') return result;
    }
    throw new Error(`session ${key} changed hands while the bot was answering; try again`);
  });
}

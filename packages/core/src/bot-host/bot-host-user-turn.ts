import type { z } from 'zod';
import { botResponseSchema } from '../contract/bot-connector.js';
import type { NewOutboxItem } from '../contract/outbox.js';
import { buildContextNote } from '../engine/context-note.js';
import { unfinishedSkillsOf } from '../engine/user-turn.js';
import { BotError, isBotError } from '../errors/bot-error.js';
import type { RoutingDecision } from '../routing/skill-router.js';
import type { ContactMessageEvent, HolderChangedEvent } from '../schemas/bot-host-event.js';
import type { TranscriptMessage } from '../schemas/transcript-message.js';
import type { HandoffSession, SessionHandoff } from '../session/handoff-session.js';
import { createSession, rememberMessageId } from '../session/session-transitions.js';
import type { BotHostContext } from './bot-host-context.js';
import { hostAnswerItem } from './bot-host-outbox-items.js';

/** Gives the conversation to the bot again, with a new bot session (the old one ended with the human). */
function startFreshBotSession(context: BotHostContext, session: HandoffSession): void {
  session.mode = 'bot';
  session.sessionId = context.generateId();
  session.returned = { reason: 'agent_closed', at: context.now().toISOString() };
  session.unfinishedSkills = [];
  delete session.unfinishedSkillSlots;
  delete session.handoff;
}

/**
 * The conversation changed hands. A human (or a resolve) ends the bot's turn and confirms a
 * handoff under way; the bot getting it back starts a fresh bot session. Conversations the bot
 * never spoke in have no session and need none.
 */
export async function applyHolderChange(context: BotHostContext, event: HolderChangedEvent): Promise<void> {
  let returned = false;
  const written = await context.update(context.keyOf(event.conversationId), (current) => {
    returned = false;
    if (current === undefined) return undefined;
    const session = structuredClone(current);
    if (event.holder === 'bot') {
      // While our own handoff is under way, `pending` is the state before it, not a hand-back.
      if (session.mode === 'bot' || session.handoff !== undefined) return undefined;
      startFreshBotSession(context, session);
      returned = true;
      return { session };
    }
    if (session.mode !== 'bot' && session.handoff === undefined) return undefined;
    session.mode = 'human';
    delete session.handoff;
    return { session };
  });
  if (written && returned) context.telemetry({ type: 'host.returned', conversationId: event.conversationId });
}

/** Asks the bot with a deadline; its answer is validated here. */
async function askBot(
  context: BotHostContext,
  session: HandoffSession,
  event: ContactMessageEvent,
  signal: AbortSignal,
): Promise<z.output<typeof botResponseSchema>> {
  let answer: unknown;
  try {
    answer = await context.bot.respond(
      {
        session: { channelId: context.channelId, userId: event.contact.id, sessionId: session.sessionId },
        message: {
          id: event.message.id,
          text: event.message.text,
          ...(event.message.attachments === undefined ? {} : { attachments: event.message.attachments }),
        },
        ...(session.profile === undefined ? {} : { profile: session.profile }),
        ...(session.returned === undefined ? {} : { returned: session.returned }),
      },
      { signal: AbortSignal.any([signal, AbortSignal.timeout(context.botTimeoutMs)]) },
    );
  } catch (error) {
    if (isBotError(error)) throw error;
    throw new BotError({ code: 'bot_failed', message: 'the bot did not answer', cause: error });
  }
  const parsed = botResponseSchema.safeParse(answer);
  if (!parsed.success) {
    throw new BotError({
      code: 'bot_invalid_response',
      message: `the bot answered something unusable: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
    });
  }
  return parsed.data;
}

/** The transfer a handoff request leads to; asking for a topic has no place here, so that means the default team. */
function transferDecision(
  context: BotHostContext,
  decision: RoutingDecision,
): RoutingDecision & { action: 'transfer' } {
  if (decision.action === 'transfer') return decision;
  const fallback = context.router.defaultDecision(`${decision.reason.text}; the default team takes it`);
  if (fallback.action !== 'transfer') throw new Error('the default decision must be a transfer');
  return fallback;
}

/** Plans the handoff on the session and returns the delivery that carries it out. */
function planHostHandoff(
  context: BotHostContext,
  session: HandoffSession,
  decision: RoutingDecision & { action: 'transfer' },
  turnId: string,
  details: {
    conversationId: string;
    unfinishedSkills: string[];
    skillSlots?: SessionHandoff['skillSlots'];
    requestedReason?: string;
  },
): NewOutboxItem {
  const handoff: SessionHandoff = {
    id: turnId,
    team: decision.target.team,
    ...(decision.target.label === undefined ? {} : { teamLabel: decision.target.label }),
    reason: decision.reason.text,
    ...(decision.reason.rule === 'skill' ? { matchedSkill: decision.reason.skill } : {}),
    ...(details.requestedReason === undefined ? {} : { requestedReason: details.requestedReason }),
    unfinishedSkills: details.unfinishedSkills,
    ...(details.skillSlots === undefined ? {} : { skillSlots: details.skillSlots }),
    requestedAt: context.now().toISOString(),
    topicAttempts: 0,
  };
  session.mode = 'human';
  session.handoff = handoff;
  const note = buildContextNote({
    handoff,
    userId: session.userId,
    sessionId: session.sessionId,
    ...(session.profile === undefined ? {} : { profile: session.profile }),
    droppedMessages: 0,
  });
  return hostAnswerItem('host.handoff', turnId, {
    conversationId: details.conversationId,
    team: decision.target.team,
    note,
    labels: [...context.labels],
  });
}

/**
 * A contact wrote. While the bot holds the conversation it is asked once, and its replies and any
 * handoff are stored with the session in one write. A human holding it, or a handoff under way,
 * keeps the bot silent.
 */
export async function answerContact(
  context: BotHostContext,
  event: ContactMessageEvent,
  signal: AbortSignal,
): Promise<void> {
  const key = context.keyOf(event.conversationId);
  const messageId = event.message.id;
  const stored = (await context.sessions.get(key))?.session;
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
          channelId: context.channelId,
          userId: event.contact.id,
          sessionId: context.generateId(),
          now: context.now().toISOString(),
        })
      : structuredClone(stored);
  if (Object.keys(profile).length > 0) session.profile = { ...session.profile, ...profile };

  const silent = (reason: 'human' | 'closed' | 'handing-off') => {
    context.telemetry({ type: 'host.silent', conversationId: event.conversationId, reason });
    return context.update(key, (current) => {
      if (current?.recentMessageIds.includes(messageId)) return undefined;
      const next = current === undefined ? session : structuredClone(current);
      rememberMessageId(next, messageId);
      if (reason !== 'handing-off' && next.handoff === undefined) next.mode = 'human';
      return { session: next };
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
    startFreshBotSession(context, session);
    returned = true;
  }

  const turnId = `${event.conversationId}:${messageId}`;
  const items: NewOutboxItem[] = [];
  let replies = 0;
  try {
    const response = await askBot(context, session, event, signal);
    delete session.returned;
    const skills = unfinishedSkillsOf(response);
    session.unfinishedSkills = skills.names;
    if (skills.slots === undefined) delete session.unfinishedSkillSlots;
    else session.unfinishedSkillSlots = skills.slots;
    const createdAt = context.now().toISOString();
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
      const decision = transferDecision(
        context,
        context.router.decide({
          unfinishedSkills: skills.names,
          ...(response.handoff.team === undefined ? {} : { team: response.handoff.team }),
        }),
      );
      items.push(
        planHostHandoff(context, session, decision, turnId, {
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
    context.telemetry({ type: 'host.bot-failed', conversationId: event.conversationId, error: error.code });
    items.push(
      planHostHandoff(
        context,
        session,
        transferDecision(context, context.router.defaultDecision(`the bot could not answer (${error.code})`)),
        turnId,
        { conversationId: event.conversationId, unfinishedSkills: session.unfinishedSkills },
      ),
    );
  }
  rememberMessageId(session, messageId);
  const written = await context.update(key, (current) => {
    if (current?.recentMessageIds.includes(messageId)) return undefined;
    // Events of a conversation are applied one at a time, so this only happens when a lease ran out.
    if (JSON.stringify(current) !== JSON.stringify(stored)) {
      throw new Error(`bot session of conversation ${event.conversationId} changed while the bot answered`);
    }
    return { session, items };
  });
  if (written && returned) context.telemetry({ type: 'host.returned', conversationId: event.conversationId });
  if (written) {
    context.telemetry({
      type: 'host.answered',
      conversationId: event.conversationId,
      replies,
      handoff: items.some((item) => item.kind === 'host.handoff'),
    });
  }
}

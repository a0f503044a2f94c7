// The steps of a handoff in internal mode: the transfer a request leads to, planning it on the
// session with its context note, and a fresh bot session when the conversation comes back.

import type { NewOutboxItem } from '../contract/outbox.js';
import { buildContextNote } from '../engine/context-note.js';
import type { RoutingDecision, SkillRouter } from '../routing/skill-router.js';
import type { HandoffSession, SessionHandoff } from '../session/handoff-session.js';
import { hostAnswerItem } from './bot-host-outbox-items.js';

export interface BotHostHandoffStepsSettings {
  router: Pick<SkillRouter, 'defaultDecision'>;
  /** Labels put on handed-off conversations. */
  labels: readonly string[];
  now: () => Date;
  generateId: () => string;
}

/** What a planned handoff carries besides the decision. */
interface BotHostHandoffDetails {
  conversationId: string;
  unfinishedSkills: string[];
  skillSlots?: SessionHandoff['skillSlots'];
  requestedReason?: string;
}

export interface BotHostHandoffSteps {
  /** Gives the conversation to the bot again, with a new bot session (the old one ended with the human). */
  startFreshBotSession(session: HandoffSession): void;
  /** The transfer a handoff request leads to; asking for a topic has no place here, so that means the default team. */
  transferDecision(decision: RoutingDecision): RoutingDecision & { action: 'transfer' };
  /** Plans the handoff on the session and returns the delivery that carries it out. */
  planHandoff(
    session: HandoffSession,
    decision: RoutingDecision & { action: 'transfer' },
    turnId: string,
    details: BotHostHandoffDetails,
  ): NewOutboxItem;
}

export function createBotHostHandoffSteps(settings: BotHostHandoffStepsSettings): BotHostHandoffSteps {
  const { router, now, generateId } = settings;
  return {
    startFreshBotSession(session) {
      session.mode = 'bot';
      session.sessionId = generateId();
      session.returned = { reason: 'agent_closed', at: now().toISOString() };
      session.unfinishedSkills = [];
      delete session.unfinishedSkillSlots;
      delete session.handoff;
    },

    transferDecision(decision) {
      if (decision.action === 'transfer') return decision;
      const fallback = router.defaultDecision(`${decision.reason.text}; the default team takes it`);
      if (fallback.action !== 'transfer') throw new Error('the default decision must be a transfer');
      return fallback;
    },

    planHandoff(session, decision, turnId, details) {
      const handoff: SessionHandoff = {
        id: turnId,
        team: decision.target.team,
        ...(decision.target.label === undefined ? {} : { teamLabel: decision.target.label }),
        reason: decision.reason.text,
        ...(decision.reason.rule === 'skill' ? { matchedSkill: decision.reason.skill } : {}),
        ...(details.requestedReason === undefined ? {} : { requestedReason: details.requestedReason }),
        unfinishedSkills: details.unfinishedSkills,
        ...(details.skillSlots === undefined ? {} : { skillSlots: details.skillSlots }),
        requestedAt: now().toISOString(),
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
        labels: [...settings.labels],
      });
    },
  };
}

// Applying the events of the bot webhook in internal mode: the conversation changed hands, or a
// contact wrote (answered by the user turn).

import type { BotHostEvent, HolderChangedEvent } from '../schemas/bot-host-event.js';
import type { SessionUpdater } from '../session/session-updates.js';
import type { BotHostHandoffSteps } from './bot-host-handoff-steps.js';
import type { BotHostTelemetryEvent } from './bot-host-types.js';
import type { BotHostUserTurn } from './bot-host-user-turn.js';

export interface BotHostEventApplicationSettings {
  updater: SessionUpdater;
  steps: Pick<BotHostHandoffSteps, 'startFreshBotSession'>;
  userTurn: BotHostUserTurn;
  /** The session key of a hosted conversation. */
  keyOf: (conversationId: string) => string;
  telemetry: (event: BotHostTelemetryEvent) => void;
}

export interface BotHostEventApplication {
  /** Applies one verified event of the bot webhook (events of a conversation come one at a time). */
  applyEvent(event: BotHostEvent, signal: AbortSignal): Promise<void>;
}

export function createBotHostEventApplication(
  settings: BotHostEventApplicationSettings,
): BotHostEventApplication {
  const { updater, steps, userTurn, keyOf, telemetry } = settings;

  /**
   * The conversation changed hands. A human (or a resolve) ends the bot's turn and confirms a
   * handoff under way; the bot getting it back starts a fresh bot session. Conversations the bot
   * never spoke in have no session and need none.
   */
  const applyHolderChange = async (event: HolderChangedEvent): Promise<void> => {
    let returned = false;
    const written = await updater.update<boolean>(keyOf(event.conversationId), (current) => {
      returned = false;
      if (current === undefined) return { skip: false };
      const session = structuredClone(current);
      if (event.holder === 'bot') {
        // While our own handoff is under way, `pending` is the state before it, not a hand-back.
        if (session.mode === 'bot' || session.handoff !== undefined) return { skip: false };
        steps.startFreshBotSession(session);
        returned = true;
        return { session, result: true };
      }
      if (session.mode !== 'bot' && session.handoff === undefined) return { skip: false };
      session.mode = 'human';
      delete session.handoff;
      return { session, result: true };
    });
    if (written && returned) telemetry({ type: 'host.returned', conversationId: event.conversationId });
  };

  return {
    async applyEvent(event, signal) {
      if (event.type === 'conversation.holder') await applyHolderChange(event);
      else await userTurn.answerContact(event, signal);
    },
  };
}

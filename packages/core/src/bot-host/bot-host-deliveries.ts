// How the host engine's outbox items are delivered, by kind (events to apply, replies to post,
// handoffs to make), and what parking a handoff means.

import type { BotHostAdapter } from '../contract/bot-host-adapter.js';
import { mayHaveBeenDelivered, type Outbox, type OutboxItem } from '../contract/outbox.js';
import type { SkillRouter } from '../routing/skill-router.js';
import { type BotHostEvent, botHostEventSchema } from '../schemas/bot-host-event.js';
import type { SessionUpdater } from '../session/session-updates.js';
import type { BotHostEventApplication } from './bot-host-event-application.js';
import { type BotHostPayloads, hostAnswerItem } from './bot-host-outbox-items.js';
import type { BotHostTelemetryEvent } from './bot-host-types.js';

export interface BotHostDeliveriesSettings {
  host: Pick<BotHostAdapter, 'replyAsBot' | 'handOff'>;
  router: Pick<SkillRouter, 'defaultDecision'>;
  outbox: Pick<Outbox, 'enqueue'>;
  updater: SessionUpdater;
  events: BotHostEventApplication;
  /** The session key of a hosted conversation. */
  keyOf: (conversationId: string) => string;
  telemetry: (event: BotHostTelemetryEvent) => void;
}

/** What the outbox worker calls: `deliver` and `onParked` of its settings. */
export interface BotHostDeliveries {
  deliver(item: OutboxItem, options: { signal: AbortSignal }): Promise<void>;
  /**
   * A handoff that cannot be made (the team is gone, the token lost the right) falls back to the
   * default team once, so the contact is not left with a bot that went silent.
   */
  onParked(item: OutboxItem, reason: string): Promise<void>;
}

export function createBotHostDeliveries(settings: BotHostDeliveriesSettings): BotHostDeliveries {
  const { host, router, outbox, updater, events, keyOf, telemetry } = settings;

  return {
    async deliver(item, { signal }) {
      const recover = mayHaveBeenDelivered(item);
      switch (item.kind) {
        case 'host.event': {
          const event: BotHostEvent = botHostEventSchema.parse(item.payload);
          await events.applyEvent(event, signal);
          return;
        }
        case 'host.reply': {
          const payload = item.payload as BotHostPayloads['host.reply'];
          const result = await host.replyAsBot({
            conversationId: payload.conversationId,
            messages: payload.messages,
            recover,
            signal,
          });
          if (!result.delivered) {
            telemetry({
              type: 'host.reply-withheld',
              conversationId: payload.conversationId,
              messages: payload.messages.length,
            });
          }
          return;
        }
        case 'host.handoff': {
          const payload = item.payload as BotHostPayloads['host.handoff'];
          await host.handOff({ ...payload, recover, signal });
          telemetry({
            type: 'host.handed-off',
            conversationId: payload.conversationId,
            team: payload.team,
          });
          // Done: the conversation is the humans' now; a later `pending` is a hand-back.
          await updater.update<boolean>(keyOf(payload.conversationId), (current) => {
            if (current?.handoff === undefined) return { skip: false };
            const session = structuredClone(current);
            delete session.handoff;
            session.mode = 'human';
            return { session, result: true };
          });
          return;
        }
        default:
          throw new Error(`the host engine has no delivery of kind ${item.kind}`);
      }
    },

    async onParked(item, reason) {
      telemetry({ type: 'delivery.parked', kind: item.kind, reason });
      if (item.kind !== 'host.handoff') return;
      const payload = item.payload as BotHostPayloads['host.handoff'];
      const fallback = router.defaultDecision('fallback');
      if (fallback.action !== 'transfer' || fallback.target.team === payload.team) return;
      await outbox.enqueue([
        hostAnswerItem('host.handoff', `${item.id}:fallback`, {
          ...payload,
          team: fallback.target.team,
          note: `${payload.note}\nThe handoff to team ${payload.team} failed (${reason}); handed to the default team instead.`,
        }),
      ]);
    },
  };
}

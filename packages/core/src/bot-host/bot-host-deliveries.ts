import { mayHaveBeenDelivered, type OutboxItem } from '../contract/outbox.js';
import { type BotHostEvent, botHostEventSchema } from '../schemas/bot-host-event.js';
import type { BotHostContext } from './bot-host-context.js';
import { type BotHostPayloads, hostAnswerItem } from './bot-host-outbox-items.js';
import { answerContact, applyHolderChange } from './bot-host-user-turn.js';

/** Delivers the host engine's outbox items: events to apply, replies to post, handoffs to make. */
export function createBotHostDeliveries(context: BotHostContext) {
  const deliver = async (item: OutboxItem, { signal }: { signal: AbortSignal }) => {
    const recover = mayHaveBeenDelivered(item);
    switch (item.kind) {
      case 'host.event': {
        const event: BotHostEvent = botHostEventSchema.parse(item.payload);
        if (event.type === 'conversation.holder') await applyHolderChange(context, event);
        else await answerContact(context, event, signal);
        return;
      }
      case 'host.reply': {
        const payload = item.payload as BotHostPayloads['host.reply'];
        const result = await context.host.replyAsBot({
          conversationId: payload.conversationId,
          messages: payload.messages,
          recover,
          signal,
        });
        if (!result.delivered) {
          context.telemetry({
            type: 'host.reply-withheld',
            conversationId: payload.conversationId,
            messages: payload.messages.length,
          });
        }
        return;
      }
      case 'host.handoff': {
        const payload = item.payload as BotHostPayloads['host.handoff'];
        await context.host.handOff({ ...payload, recover, signal });
        context.telemetry({
          type: 'host.handed-off',
          conversationId: payload.conversationId,
          team: payload.team,
        });
        // Done: the conversation is the humans' now; a later `pending` is a hand-back.
        await context.update(context.keyOf(payload.conversationId), (current) => {
          if (current?.handoff === undefined) return undefined;
          const session = structuredClone(current);
          delete session.handoff;
          session.mode = 'human';
          return { session };
        });
        return;
      }
      default:
        throw new Error(`the host engine has no delivery of kind ${item.kind}`);
    }
  };

  /**
   * A handoff that cannot be made (the team is gone, the token lost the right) falls back to the
   * default team once, so the contact is not left with a bot that went silent.
   */
  const onParked = async (item: OutboxItem, reason: string) => {
    context.telemetry({ type: 'delivery.parked', kind: item.kind, reason });
    if (item.kind !== 'host.handoff') return;
    const payload = item.payload as BotHostPayloads['host.handoff'];
    const fallback = context.router.defaultDecision('fallback');
    if (fallback.action !== 'transfer' || fallback.target.team === payload.team) return;
    await context.outbox.enqueue([
      hostAnswerItem('host.handoff', `${item.id}:fallback`, {
        ...payload,
        team: fallback.target.team,
        note: `${payload.note}\nThe handoff to team ${payload.team} failed (${reason}); handed to the default team instead.`,
      }),
    ]);
  };

  return { deliver, onParked };
}

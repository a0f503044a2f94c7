import { type BotHostAdapter, type BotHostEvent, SupportError } from '@handoff/core';
import { errorFromTransportFailure } from '@handoff/http';
import { refuseUnpostable } from './sunshine-adapter.js';
import { createSunshineParts } from './sunshine-parts.js';
import {
  resolveSunshineSwitchboardBotSettings,
  type SunshineSwitchboardBotSettings,
} from './sunshine-switchboard-bot-settings.js';
import { botHostEventsOf } from './webhook/bot-host-events.js';
import { eventsOfDelivery, parseDelivery, verifySharedSecret } from './webhook/sunshine-webhook.js';

const provider = 'sunshine';

/** How many conversations' first bot-held message the bot remembers (first_message_id of a handoff). */
const rememberedStarts = 10_000;

/**
 * Zendesk messaging's switchboard bot (internal mode): Zendesk owns the channel (Web Widget,
 * WhatsApp, ...) and our custom integration is a switchboard integration. While it is active the
 * contact's messages come to it as `contact.message` (held by the bot) and it answers as the
 * business; a handoff passes control to the Agent Workspace (the routing tag and a silent note
 * for agents), after which deliveries on standby say a human holds the conversation and replies
 * are refused. Solving the ticket releases control (holder closed); an agent passing control back
 * makes the bot hold it again.
 *
 * Deliveries are checked by their shared secret (`X-API-Key`), but a delivery sent again is not
 * refused: Sunshine Conversations retries a delivery whose answer failed, and the events keep their
 * ids, so the host engine applies them once.
 */
export function createSunshineSwitchboardBot(input: SunshineSwitchboardBotSettings = {}): BotHostAdapter {
  const settings = resolveSunshineSwitchboardBotSettings(input);
  const now = input.now ?? Date.now;
  const { actions, poster, transferToAgents } = createSunshineParts(settings, {
    dispatcher: input.dispatcher,
    now,
  });
  /** The first contact message since the bot took each conversation: the ticket's transcript starts there. */
  const sessionStarts = new Map<string, string>();

  const track = (event: BotHostEvent) => {
    if (event.type === 'contact.message' && event.holder === 'bot') {
      if (!sessionStarts.has(event.conversationId)) sessionStarts.set(event.conversationId, event.message.id);
      if (sessionStarts.size > rememberedStarts)
        sessionStarts.delete(sessionStarts.keys().next().value as string);
    } else if (event.type === 'conversation.holder' && event.holder !== 'bot') {
      sessionStarts.delete(event.conversationId);
    }
  };

  return {
    provider,

    async handleBotWebhook({ headers, body, signal }) {
      if (signal?.aborted)
        throw errorFromTransportFailure({ provider, operation: 'handleBotWebhook' }, signal.reason, {
          caller: signal,
        });
      verifySharedSecret(headers, settings.webhookSecret);
      const delivery = parseDelivery(body);
      const result = eventsOfDelivery(delivery, (event, index) =>
        botHostEventsOf(event, index, { isOurs: actions.isOurs }),
      );
      for (const event of result.events) track(event);
      return result;
    },

    async replyAsBot({ conversationId, messages, recover, signal }) {
      refuseUnpostable('replyAsBot', messages);
      // The bot speaks only while its switchboard integration is active: an agent may have taken
      // the conversation while the bot was thinking.
      const conversation = await actions.getConversation('replyAsBot', conversationId, signal);
      if (!actions.isOurs(conversation.activeSwitchboardIntegration)) return { delivered: false, posted: [] };
      const result = await poster.post({
        operation: 'replyAsBot',
        conversationId,
        messages,
        recover,
        authorOf: () => ({ type: 'business', displayName: settings.botName }),
        signal,
      });
      return { delivered: true, posted: result };
    },

    async handOff({ conversationId, team, note, labels, recover, signal }) {
      if (team.trim() === '') {
        throw new SupportError({
          code: 'invalid_request',
          message: 'handOff needs a Zendesk group id',
          provider,
          operation: 'handOff',
        });
      }
      const group = await transferToAgents({
        operation: 'handOff',
        conversationId,
        team,
        note,
        labels,
        recover: recover === true,
        firstMessage: sessionStarts.get(conversationId),
        signal,
      });
      sessionStarts.delete(conversationId);
      return { team: group };
    },
  };
}

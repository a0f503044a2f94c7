import {
  type BotHostAdapter,
  createMemoryReplayGuard,
  SupportError,
  type TranscriptMessage,
} from '@handoff/core';
import {
  parseWebhookJson,
  readHeader,
  refuseReplayedDelivery,
  verifyTimestampedSignature,
} from '@handoff/http';
import { z } from 'zod';
import { chatwootWebhookHeaders } from './chatwoot-adapter.js';
import {
  type ChatwootAgentBotSettings,
  resolveChatwootAgentBotSettings,
} from './chatwoot-agent-bot-settings.js';
import { createChatwootClient } from './chatwoot-client.js';
import { createConversationActions } from './chatwoot-conversation-actions.js';
import { noteKey, numericId, sourceIdOf } from './chatwoot-identifiers.js';
import { existingSourceIds } from './chatwoot-message-list.js';
import { createMessagePoster } from './chatwoot-message-poster.js';
import { teamListResponseSchema } from './chatwoot-responses.js';
import { agentBotWebhookEvents } from './webhook/agent-bot-events.js';

const provider = 'chatwoot';

/** What the adapter reads of `GET /conversations/{id}`: who holds it. */
const conversationStatusSchema = z.object({ id: z.number(), status: z.string() });

/**
 * Chatwoot's agent bot (internal mode, notes §4): Chatwoot owns the channel (widget, WhatsApp,
 * email, ...) and POSTs the bot's webhooks; every call goes out with the bot's token. Replies are
 * posted only while the conversation is `pending` (the bot's), handoff is `assignments` + a
 * private note + labels + `toggle_status` open (Chatwoot's bot handoff, which notifies agents).
 */
export function createChatwootAgentBot(input: ChatwootAgentBotSettings = {}): BotHostAdapter {
  const settings = resolveChatwootAgentBotSettings(input);
  const client = createChatwootClient({
    ...settings,
    userToken: settings.userToken ?? settings.agentBotToken,
    agentBotToken: settings.agentBotToken,
    dispatcher: input.dispatcher,
  });
  const actions = createConversationActions(client);
  const post = createMessagePoster({
    client,
    perMinute: settings.messagesPerMinute,
    dispatcher: input.dispatcher,
    requestTimeoutMs: settings.requestTimeoutMs,
  });
  const replayGuard = input.replayGuard ?? createMemoryReplayGuard();
  /** source_ids this instance posted, per conversation (a retry within the process skips them). */
  const posted = new Map<string, Set<string>>();
  let teamsCache: { byName: Map<string, number>; at: number } | undefined;

  const wasPosted = (conversationId: string, sourceId: string) =>
    posted.get(conversationId)?.has(sourceId) ?? false;
  const rememberPosted = (conversationId: string, sourceId: string) => {
    let set = posted.get(conversationId);
    if (set === undefined) {
      set = new Set();
      posted.set(conversationId, set);
    }
    set.add(sourceId);
  };

  /** What a retried call already posted: only a user token may list messages (bots may not). */
  const postedBefore = (operation: string, conversationId: string, signal?: AbortSignal) =>
    settings.userToken === undefined
      ? Promise.resolve(new Set<string>())
      : existingSourceIds(client, operation, conversationId, signal);

  /** A team id, or a team name looked up with the user token. */
  const teamIdOf = async (team: string, signal?: AbortSignal): Promise<number> => {
    if (/^\d{1,12}$/.test(team)) return Number(team);
    if (settings.userToken === undefined) {
      throw new SupportError({
        code: 'invalid_request',
        message: `team "${team}" is not a Chatwoot team id; give team ids, or a userToken so names can be looked up (bots may not list teams)`,
        provider,
        operation: 'handOff',
      });
    }
    if (teamsCache === undefined || Date.now() - teamsCache.at >= settings.teamsCacheTtlMs) {
      const teams = await client.call({
        operation: 'handOff',
        method: 'GET',
        path: '/teams',
        token: 'user',
        schema: teamListResponseSchema,
        signal,
      });
      teamsCache = {
        byName: new Map(teams.map((entry) => [entry.name.toLowerCase(), entry.id])),
        at: Date.now(),
      };
    }
    const id = teamsCache.byName.get(team.toLowerCase());
    if (id === undefined) {
      throw new SupportError({
        code: 'not_found',
        message: `Chatwoot has no team named "${team}"`,
        provider,
        operation: 'handOff',
      });
    }
    return id;
  };

  const botMessageBody = (message: TranscriptMessage, sourceId: string) => ({
    content: message.text,
    message_type: 'outgoing',
    private: false,
    source_id: sourceId,
  });

  return {
    provider,

    async handleBotWebhook({ headers, body, receivedAt }) {
      if (settings.agentBotSecret !== undefined) {
        verifyTimestampedSignature({
          secret: settings.agentBotSecret,
          timestamp: readHeader(headers, chatwootWebhookHeaders.timestamp),
          signature: readHeader(headers, chatwootWebhookHeaders.signature),
          body,
          toleranceSeconds: settings.webhookToleranceSeconds,
          provider,
          ...(receivedAt === undefined ? {} : { receivedAt }),
        });
      }
      const deliveryId = readHeader(headers, chatwootWebhookHeaders.delivery);
      if (deliveryId !== undefined && deliveryId !== '') {
        await refuseReplayedDelivery(replayGuard, {
          provider,
          deliveryId,
          ttlMs: settings.webhookToleranceSeconds * 2_000,
        });
      }
      const events = agentBotWebhookEvents(parseWebhookJson(body, provider), { inboxIds: settings.inboxIds });
      return { ...(deliveryId === undefined || deliveryId === '' ? {} : { deliveryId }), events };
    },

    async replyAsBot({ conversationId, messages, recover, signal }) {
      numericId(conversationId, 'conversation', 'replyAsBot');
      // The bot speaks only while the conversation is pending: an agent may have taken it while
      // the bot was thinking (#11429, rasa-agent-bot-demo #12).
      const conversation = await client.call({
        operation: 'replyAsBot',
        method: 'GET',
        path: `/conversations/${conversationId}`,
        token: 'conversation',
        schema: conversationStatusSchema,
        signal,
      });
      if (conversation.status !== 'pending') return { delivered: false, posted: [] };
      const existing = recover ? await postedBefore('replyAsBot', conversationId, signal) : undefined;
      const result: Array<{ id: string; supportMessageId: string }> = [];
      for (const message of messages) {
        const sourceId = sourceIdOf('message', message.id);
        if (wasPosted(conversationId, sourceId) || existing?.has(sourceId)) continue;
        const id = await post(
          'replyAsBot',
          conversationId,
          botMessageBody(message, sourceId),
          message,
          signal,
        );
        rememberPosted(conversationId, sourceId);
        result.push({ id: message.id, supportMessageId: String(id) });
      }
      return { delivered: true, posted: result };
    },

    async handOff({ conversationId, team, note, labels, recover, signal }) {
      numericId(conversationId, 'conversation', 'handOff');
      const teamId = await teamIdOf(team, signal);
      const assigned = await actions.assignTeam('handOff', conversationId, teamId, signal);
      const sourceId = sourceIdOf('transfer', noteKey(conversationId, note));
      const already =
        wasPosted(conversationId, sourceId) ||
        (recover === true && (await postedBefore('handOff', conversationId, signal)).has(sourceId));
      if (!already && note !== '') {
        await post(
          'handOff',
          conversationId,
          { content: note, message_type: 'outgoing', private: true, source_id: sourceId },
          {},
          signal,
        );
        rememberPosted(conversationId, sourceId);
      }
      if (labels !== undefined && labels.length > 0)
        await actions.addLabels('handOff', conversationId, labels, signal);
      // With the bot token, pending → open is Chatwoot's bot handoff: agents are notified.
      await actions.toggleStatus('handOff', conversationId, 'open', signal);
      return { team: assigned };
    },
  };
}

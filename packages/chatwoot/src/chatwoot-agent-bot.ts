import {
  type BotHostAdapter,
  createMemoryReplayGuard,
  SupportError,
  type TranscriptMessage,
} from '@handoff/core';
import { parseWebhookJson, readHeader, verifyTimestampedSignature } from '@handoff/http';
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
import { chatwootBehaviours } from './chatwoot-versions.js';
import { agentBotWebhookEvents } from './webhook/agent-bot-events.js';

const provider = 'chatwoot';

/** What the adapter reads of `GET /conversations/{id}`: who holds it. */
const conversationStatusSchema = z.object({ id: z.number(), status: z.string() });

/** How long a marker of a post is kept in the replay guard (a retry comes within this). */
const postedMarkerTtlMs = 7 * 24 * 60 * 60 * 1000;

/** How many conversations' last known status the holder guard remembers. */
const rememberedStatuses = 10_000;

/**
 * Chatwoot's agent bot (internal mode): Chatwoot owns the channel (widget, WhatsApp, email, ...)
 * and POSTs the bot's webhooks; conversation calls go out with the bot's token. Replies are posted
 * only while the conversation is `pending` (the bot's); handoff is `assignments` + a private note +
 * labels + `toggle_status` open (Chatwoot's bot handoff, which notifies agents).
 *
 * Whether it is still pending is read with the user token when there is one. A bot token cannot
 * read it reliably: before 4.14.2 bots may not call `conversations#show`, and through 4.15.1 the
 * call answers 500 once the conversation has a team (`_team.json.jbuilder` calls
 * `Current.user.teams`). Without a user token the guard is the newest status the bot webhooks
 * showed: an agent taking the conversation is seen as soon as Chatwoot's webhook for it arrived.
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
  const behaviours = chatwootBehaviours(settings.chatwootVersion);
  /** The newest status each conversation's bot webhooks showed (the guard without a user token). */
  const lastStatus = new Map<string, { status: string; at: number }>();
  const rememberStatus = (seen: { conversationId: string; status: string; at: number }) => {
    const known = lastStatus.get(seen.conversationId);
    if (known !== undefined && known.at > seen.at) return;
    lastStatus.delete(seen.conversationId);
    lastStatus.set(seen.conversationId, { status: seen.status, at: seen.at });
    if (lastStatus.size > rememberedStatuses) lastStatus.delete(lastStatus.keys().next().value as string);
  };
  /** source_ids this instance posted, per conversation (a retry within the process skips them). */
  const posted = new Map<string, Set<string>>();
  let teamsCache: { byName: Map<string, number>; at: number } | undefined;

  const wasPosted = (conversationId: string, sourceId: string) =>
    posted.get(conversationId)?.has(sourceId) ?? false;
  const replayGuard = input.replayGuard ?? createMemoryReplayGuard();
  const postedKey = (conversationId: string, sourceId: string) =>
    `${provider}:posted:${conversationId}:${sourceId}`;
  /** Remembers a post in this process and, as a marker, in the replay guard (which may outlive it). */
  const rememberPosted = async (conversationId: string, sourceId: string) => {
    let set = posted.get(conversationId);
    if (set === undefined) {
      set = new Set();
      posted.set(conversationId, set);
    }
    set.add(sourceId);
    await replayGuard.firstSeen(postedKey(conversationId, sourceId), postedMarkerTtlMs);
  };

  /**
   * What a retried call already posted of `sourceIds`: listed with the user token; bots may not list
   * messages, so without one the markers of earlier posts in the replay guard tell (durable and
   * shared when the host gives the adapter its own guard). A post whose answer was lost before its
   * marker was written is not seen: it may be posted again.
   */
  const postedBefore = async (
    operation: string,
    conversationId: string,
    sourceIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Set<string>> => {
    if (settings.userToken !== undefined) return existingSourceIds(client, operation, conversationId, signal);
    const found = new Set<string>();
    for (const sourceId of sourceIds) {
      if ((await replayGuard.has?.(postedKey(conversationId, sourceId))) === true) found.add(sourceId);
    }
    return found;
  };

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
      if (settings.agentBotSecret !== undefined && behaviours.agentBotWebhooksSigned) {
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
      // A delivery seen before is not refused: Chatwoot tries an agent-bot delivery answered 429 or
      // 500 again with the same `X-Chatwoot-Delivery` (`app/jobs/agent_bots/webhook_job.rb`), and a
      // refusal would end with the conversation opened to humans. The events keep their ids, so
      // the host engine applies them once.
      const deliveryId = readHeader(headers, chatwootWebhookHeaders.delivery);
      const parsed = agentBotWebhookEvents(parseWebhookJson(body, provider), { inboxIds: settings.inboxIds });
      if (parsed.status !== undefined) rememberStatus(parsed.status);
      return {
        ...(deliveryId === undefined || deliveryId === '' ? {} : { deliveryId }),
        events: parsed.events,
        ...(parsed.unreadable.length === 0 ? {} : { unreadable: parsed.unreadable }),
      };
    },

    async replyAsBot({ conversationId, messages, recover, signal }) {
      numericId(conversationId, 'conversation', 'replyAsBot');
      // The bot speaks only while the conversation is pending: an agent may have taken it while
      // the bot was thinking (#11429, rasa-agent-bot-demo #12).
      const status =
        settings.userToken === undefined
          ? (lastStatus.get(conversationId)?.status ?? 'pending')
          : (
              await client.call({
                operation: 'replyAsBot',
                method: 'GET',
                path: `/conversations/${conversationId}`,
                token: 'user',
                schema: conversationStatusSchema,
                signal,
              })
            ).status;
      if (status !== 'pending') return { delivered: false, posted: [] };
      const existing = recover
        ? await postedBefore(
            'replyAsBot',
            conversationId,
            messages.map((message) => sourceIdOf('message', message.id)),
            signal,
          )
        : undefined;
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
        await rememberPosted(conversationId, sourceId);
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
        (recover === true &&
          (await postedBefore('handOff', conversationId, [sourceId], signal)).has(sourceId));
      if (!already && note !== '') {
        await post(
          'handOff',
          conversationId,
          { content: note, message_type: 'outgoing', private: true, source_id: sourceId },
          {},
          signal,
        );
        await rememberPosted(conversationId, sourceId);
      }
      // Bots may call the labels endpoints from 4.14.2; before, only a user token can label.
      const labelToken = behaviours.botMayReadConversations ? 'conversation' : 'user';
      if (
        labels !== undefined &&
        labels.length > 0 &&
        (labelToken === 'conversation' || settings.userToken !== undefined)
      )
        await actions.addLabels('handOff', conversationId, labels, signal, labelToken);
      // With the bot token, pending → open is Chatwoot's bot handoff: agents are notified.
      await actions.toggleStatus('handOff', conversationId, 'open', signal);
      return { team: assigned };
    },
  };
}

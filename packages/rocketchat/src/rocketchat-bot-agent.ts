import { createHash } from 'node:crypto';
import { type BotHostAdapter, isSupportError, type TranscriptMessage } from '@handoff/core';
import { errorFromTransportFailure, parseWebhookJson } from '@handoff/http';
import {
  type RocketChatBotAgentSettings,
  resolveRocketChatBotAgentSettings,
} from './rocketchat-bot-agent-settings.js';
import { createRocketChatClient } from './rocketchat-client.js';
import { createDepartmentDirectory } from './rocketchat-departments.js';
import { rocketChatErrorName } from './rocketchat-errors.js';
import { messageIdFor } from './rocketchat-identifiers.js';
import { forwardRoom, messageExists, readRoom, sendAsUser } from './rocketchat-rooms.js';
import { verifyLivechatToken } from './rocketchat-webhook-secret.js';
import { botHostEvents } from './webhook/rocketchat-bot-events.js';
import { webhookPayloadSchema } from './webhook/rocketchat-webhook-payload.js';

const provider = 'rocketchat';

/**
 * An answer saying the bot may no longer see the room (it serves it no more): `rooms.info` answers
 * 400 `not-allowed` (`Not Allowed`), `chat.sendMessage` 400 `error-not-allowed`.
 */
const notAllowed = (error: unknown) =>
  isSupportError(error) &&
  (error.status === 403 ||
    /\b(?:error-)?not-allowed\b|\berror-unauthorized\b/.test(rocketChatErrorName(error.vendorBody)));

/**
 * Rocket.Chat's bot agent (internal mode): the bot is an Omnichannel agent (a user with the `bot`
 * and `livechat-agent` roles, in the department whose new rooms it serves, Rocket.Chat's
 * "Assign new conversations to bot agent"). Rocket.Chat owns the channel (Livechat widget, SMS,
 * WhatsApp apps...) and sends the Livechat webhook; the visitor's messages are asked of the bot while
 * the room is served by the bot user. Replies are posted as the bot (`chat.sendMessage` with a `_id`
 * derived from our message id) only while `servedBy` is the bot, read afresh each time; the handoff
 * forwards the room to a department with the note as the transfer comment.
 */
export function createRocketChatBotAgent(input: RocketChatBotAgentSettings = {}): BotHostAdapter {
  const settings = resolveRocketChatBotAgentSettings(input);
  const now = input.now ?? Date.now;
  const client = createRocketChatClient({ ...settings, dispatcher: input.dispatcher, now });
  const departments = createDepartmentDirectory(client, { ttlMs: settings.departmentsCacheTtlMs, now });
  /** Our message ids posted per room (a retry within the process skips them). */
  const posted = new Map<string, Set<string>>();

  const refuseAborted = (operation: string, signal?: AbortSignal) => {
    if (signal?.aborted)
      throw errorFromTransportFailure({ provider, operation }, signal.reason, { caller: signal });
  };

  const remember = (roomId: string, messageId: string) => {
    let set = posted.get(roomId);
    if (set === undefined) {
      set = new Set();
      posted.set(roomId, set);
      if (posted.size > 10_000) posted.delete(posted.keys().next().value as string);
    }
    set.add(messageId);
  };

  const textOf = (message: TranscriptMessage) =>
    [message.text, ...(message.attachments ?? []).map((attachment) => attachment.url)]
      .filter((part) => part !== '')
      .join('\n');

  return {
    provider,

    async handleBotWebhook({ headers, body, signal }) {
      refuseAborted('handleBotWebhook', signal);
      if (settings.webhookSecret !== undefined)
        verifyLivechatToken(headers, settings.webhookSecret, provider);
      const payload = webhookPayloadSchema.safeParse(parseWebhookJson(body, provider));
      if (!payload.success) {
        const issue = payload.error.issues[0];
        return {
          events: [],
          unreadable: [
            { field: issue?.path.join('.') || '(body)', reason: issue?.message ?? 'not a Livechat webhook' },
          ],
        };
      }
      // Rocket.Chat sends a delivery again, with the same body, on anything but a 200 (lib/webhooks.ts): it is
      // accepted again, with the same event ids, for the host to drop the duplicates.
      const deliveryId = `${payload.data.type}:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
      const { events, unreadable } = botHostEvents(payload.data, settings.userId);
      return { deliveryId, events, ...(unreadable.length === 0 ? {} : { unreadable }) };
    },

    async replyAsBot({ conversationId, messages, recover, signal }) {
      refuseAborted('replyAsBot', signal);
      let room: Awaited<ReturnType<typeof readRoom>>;
      try {
        room = await readRoom(client, 'replyAsBot', conversationId, signal);
      } catch (error) {
        if (notAllowed(error)) return { delivered: false, posted: [] };
        throw error;
      }
      // The bot never talks over a human: only while the room is open and served by the bot.
      if (room.open !== true || room.servedBy?._id !== settings.userId)
        return { delivered: false, posted: [] };
      const token = room.v?.token ?? undefined;
      const already = posted.get(conversationId);
      const result: Array<{ id: string; supportMessageId: string }> = [];
      for (const message of messages) {
        const id = messageIdFor(conversationId, message.id);
        const known =
          already?.has(message.id) === true ||
          (recover === true &&
            token !== undefined &&
            (await messageExists(client, {
              operation: 'replyAsBot',
              roomId: conversationId,
              token,
              id,
              signal,
            })));
        if (!known) {
          try {
            await sendAsUser(client, {
              operation: 'replyAsBot',
              roomId: conversationId,
              id,
              text: textOf(message),
              signal,
            });
          } catch (error) {
            const postedBefore =
              isSupportError(error) &&
              error.status === 400 &&
              token !== undefined &&
              (await messageExists(client, {
                operation: 'replyAsBot',
                roomId: conversationId,
                token,
                id,
                signal,
              }).catch(() => false));
            if (!postedBefore) throw error;
          }
        }
        remember(conversationId, message.id);
        result.push({ id: message.id, supportMessageId: id });
      }
      return { delivered: true, posted: result };
    },

    async handOff({ conversationId, team, note, recover, signal }) {
      refuseAborted('handOff', signal);
      const department = await departments.find(team, 'handOff', signal);
      let room: Awaited<ReturnType<typeof readRoom>> | undefined;
      try {
        room = await readRoom(client, 'handOff', conversationId, signal);
      } catch (error) {
        // A retried handoff: the bot, no longer serving the room, may not see it any more.
        if (recover && notAllowed(error)) return { team: department };
        throw error;
      }
      // Forwarded already (a retry): forwarding again would leave a second note.
      if (room.departmentId === department.id && room.servedBy?._id !== settings.userId) {
        return { team: department };
      }
      await forwardRoom(client, {
        operation: 'handOff',
        roomId: conversationId,
        departmentId: department.id,
        note,
        signal,
      });
      return { team: department };
    },
  };
}

import { createHash } from 'node:crypto';
import {
  createMemoryReplayGuard,
  isSupportError,
  type SupportAdapter,
  type SupportCapabilities,
  SupportError,
  type TranscriptMessage,
} from '@handoff/core';
import { errorFromTransportFailure, parseWebhookJson, refuseReplayedDelivery } from '@handoff/http';
import { createRocketChatClient } from './rocketchat-client.js';
import { createDepartmentDirectory } from './rocketchat-departments.js';
import { closedRoomErrors, rocketChatErrorName } from './rocketchat-errors.js';
import { handoffVisitorTokenFor, messageIdFor, visitorTokenFor } from './rocketchat-identifiers.js';
import {
  livechatConfigSchema,
  livechatRoomAnswerSchema,
  messageAnswerSchema,
  type RocketChatVisitor,
  successSchema,
  visitorAnswerSchema,
  visitorInfoAnswerSchema,
} from './rocketchat-responses.js';
import { closedRoomError, forwardRoom, messageExists, readRoom, sendAsUser } from './rocketchat-rooms.js';
import { type RocketChatSettings, resolveRocketChatSettings } from './rocketchat-settings.js';
import { rocketChatWebhookSecretHeader, verifyLivechatToken } from './rocketchat-webhook-secret.js';
import { webhookEvents } from './webhook/rocketchat-webhook-events.js';
import { webhookPayloadSchema } from './webhook/rocketchat-webhook-payload.js';

const provider = 'rocketchat';

export { rocketChatWebhookSecretHeader };

/** The visitor custom field our user id is stored in (created by the admin, scope visitor). */
export const rocketChatUserIdField = 'handoff_user_id';

/** How long a webhook delivery is remembered to refuse a replay. */
const replayWindowSeconds = 24 * 60 * 60;

/** What Rocket.Chat (Omnichannel, external mode) can do, as the engine and the kit read it. */
export const rocketChatCapabilities: SupportCapabilities = {
  // A livechat room has no message only agents see: notes are posted as the bot's messages.
  privateNotes: false,
  attachments: false,
  agentTyping: false,
  // `LivechatSessionTaken` / `LivechatSessionForwarded` webhooks carry `servedBy`.
  assignmentEvents: true,
  labels: false,
  // `GET livechat/config?department=` says whether the department takes chats now.
  availability: true,
  // A new room goes to the routing queue at once (Omnichannel has no held-back state).
  holdsConversationUntilTransfer: false,
  botAttribution: false,
  internalMode: false,
  catchUp: false,
  // Each webhook is its own request (sendToCRM does not wait for the one before), and a failed one
  // is tried again 20 s later: deliveries can arrive in any order.
  orderedWebhooks: false,
  maxMessagesPerPost: 50,
  // A message is a string; the `Message_MaxAllowedSize` setting (default 5000) limits what the
  // server accepts from chat.sendMessage, and the Livechat character limit (off by default) what a visitor sends.
  textLength: { max: 5_000, unit: 'utf16_units' },
  // Rocket.Chat signs nothing and sends no timestamp: a shared secret, and replays refused by the
  // delivery's content for a day.
  webhookFreshness: { replayWindowSeconds },
};

const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest();

function refuseMissing(operation: string, what: string): never {
  throw new SupportError({ code: 'not_found', message: `Rocket.Chat has no ${what}`, provider, operation });
}

/** The text Rocket.Chat gets for a message: its text, with the links of its files after it. */
function textOf(message: TranscriptMessage): string {
  const links = (message.attachments ?? []).map((attachment) => attachment.url);
  return [message.text, ...links].filter((part) => part !== '').join('\n');
}

/**
 * The Rocket.Chat adapter (Omnichannel REST API v1, external mode): one visitor per user (token
 * derived from the user id), one livechat room per handoff, user turns as the visitor's messages,
 * bot turns as the API user's messages (both with our `_id`, so a retry is recognised), departments
 * as teams, transfer by forwarding the room with the note as the comment, close by
 * `room.closeByUser`; Livechat webhooks checked by their secret token and mapped to core events.
 */
export function createRocketChatAdapter(input: RocketChatSettings = {}): SupportAdapter {
  const settings = resolveRocketChatSettings(input);
  const now = input.now ?? Date.now;
  const client = createRocketChatClient({ ...settings, dispatcher: input.dispatcher, now });
  const replayGuard = input.replayGuard ?? createMemoryReplayGuard({ now });
  const tokenKey = settings.visitorTokenKey ?? settings.authToken;
  /** The users' visitors this instance ensured or read, by id. */
  const contacts = new Map<string, RocketChatVisitor>();
  /** Room id → visitor token. */
  const roomTokens = new Map<string, string>();
  /** Our message ids posted per room (a retry within the process skips them). */
  const posted = new Map<string, Set<string>>();

  const remember = (roomId: string, messageId: string) => {
    let set = posted.get(roomId);
    if (set === undefined) {
      set = new Set();
      posted.set(roomId, set);
    }
    set.add(messageId);
  };

  const roomInfo = async (operation: string, roomId: string, signal?: AbortSignal) => {
    const room = await readRoom(client, operation, roomId, signal);
    if (room.v?.token) roomTokens.set(room._id, room.v.token);
    return room;
  };

  const tokenOfRoom = async (operation: string, roomId: string, signal?: AbortSignal) => {
    const known = roomTokens.get(roomId);
    if (known !== undefined) return known;
    const room = await roomInfo(operation, roomId, signal);
    const token = room.v?.token;
    if (!token) {
      throw new SupportError({
        code: 'invalid_response',
        message: `Rocket.Chat room ${roomId} has no visitor token`,
        provider,
        operation,
      });
    }
    return token;
  };

  /** The user's visitor (the contact agents see), read back after a restart. */
  const contactOf = async (visitorId: string, signal?: AbortSignal): Promise<RocketChatVisitor> => {
    const known = contacts.get(visitorId);
    if (known !== undefined) return known;
    const answer = await client.call({
      operation: 'openConversation',
      method: 'GET',
      path: '/livechat/visitors.info',
      query: { visitorId },
      schema: visitorInfoAnswerSchema,
      signal,
    });
    if (!answer.visitor) refuseMissing('openConversation', `visitor ${visitorId}`);
    // Without the token (8.x answers leave it out), the visitor's is derived again from our user
    // id, which its custom field carries.
    const userId = answer.visitor.livechatData?.[rocketChatUserIdField];
    const token =
      answer.visitor.token ?? (typeof userId === 'string' ? visitorTokenFor(tokenKey, userId) : undefined);
    if (token === undefined) {
      throw new SupportError({
        code: 'invalid_response',
        message: `Rocket.Chat answered visitor ${visitorId} without its token or our user id`,
        provider,
        operation: 'openConversation',
      });
    }
    const visitor: RocketChatVisitor = { ...answer.visitor, token };
    contacts.set(visitor._id, visitor);
    return visitor;
  };

  /**
   * Creates or updates the visitor with `token`, and only that one. `POST livechat/visitor`
   * looks a visitor up by token, then by phone, then by email (`Visitors.registerGuest`,
   * apps/meteor/app/livechat/server/lib/Visitors.ts): a new token sent with a phone or an email
   * another visitor has would update that visitor instead (by phone it even keeps that
   * visitor's token, by email it takes ours), merging two people. So the visitor is first
   * written with the token alone, and the phone and email follow once the token finds it.
   */
  const upsertVisitor = async (
    operation: string,
    visitor: {
      token: string;
      name?: string;
      email?: string;
      phone?: string;
      userId?: string;
    },
    signal?: AbortSignal,
  ): Promise<RocketChatVisitor> => {
    const write = async (fields: Record<string, unknown>) => {
      const answer = await client.call({
        operation,
        method: 'POST',
        path: '/livechat/visitor',
        json: { visitor: { token: visitor.token, ...fields } },
        schema: visitorAnswerSchema,
        signal,
      });
      if (answer.visitor.token !== visitor.token) {
        throw new SupportError({
          code: 'invalid_response',
          message:
            'Rocket.Chat answered another visitor than the one written (a visitor matched by phone or email)',
          provider,
          operation,
        });
      }
      return answer.visitor;
    };
    const created = await write({
      ...(visitor.name === undefined ? {} : { name: visitor.name }),
      ...(visitor.userId === undefined
        ? {}
        : { customFields: [{ key: rocketChatUserIdField, value: visitor.userId, overwrite: true }] }),
    });
    if (visitor.email === undefined && visitor.phone === undefined) return created;
    return write({
      ...(visitor.email === undefined ? {} : { email: visitor.email }),
      ...(visitor.phone === undefined ? {} : { phone: visitor.phone }),
    });
  };

  /** The handoff's own visitor: the user's name, email, phone and user id, under the handoff's token. */
  const handoffVisitor = async (contact: RocketChatVisitor, handoffId: string, signal?: AbortSignal) => {
    const token = handoffVisitorTokenFor(tokenKey, contact.token, handoffId);
    const userId = contact.livechatData?.[rocketChatUserIdField];
    await upsertVisitor(
      'openConversation',
      {
        token,
        ...(contact.name ? { name: contact.name } : {}),
        ...(contact.visitorEmails?.[0] ? { email: contact.visitorEmails[0].address } : {}),
        ...(contact.phone?.[0] ? { phone: contact.phone[0].phoneNumber } : {}),
        ...(typeof userId === 'string' ? { userId } : {}),
      },
      signal,
    );
    return token;
  };

  const departments = createDepartmentDirectory(client, { ttlMs: settings.departmentsCacheTtlMs, now });
  const exists = (roomId: string, token: string, id: string, signal?: AbortSignal) =>
    messageExists(client, { operation: 'postMessages', roomId, token, id, signal });

  const refuseAborted = (operation: string, signal?: AbortSignal) => {
    if (signal?.aborted)
      throw errorFromTransportFailure({ provider, operation }, signal.reason, { caller: signal });
  };

  return {
    provider,
    capabilities: rocketChatCapabilities,

    async ensureUser({ user, signal }) {
      refuseAborted('ensureUser', signal);
      const token = visitorTokenFor(tokenKey, user.id);
      try {
        const found = await client.call({
          operation: 'ensureUser',
          method: 'GET',
          path: `/livechat/visitor/${token}`,
          schema: visitorAnswerSchema,
          signal,
        });
        contacts.set(found.visitor._id, found.visitor);
        return { supportUserId: found.visitor._id, created: false };
      } catch (error) {
        if (!(isSupportError(error) && error.code === 'not_found')) throw error;
      }
      const created = await upsertVisitor(
        'ensureUser',
        {
          token,
          ...(user.name === undefined ? {} : { name: user.name }),
          ...(user.email === undefined ? {} : { email: user.email }),
          ...(user.phone === undefined ? {} : { phone: user.phone }),
          userId: user.id,
        },
        signal,
      );
      contacts.set(created._id, created);
      return { supportUserId: created._id, created: true };
    },

    async openConversation({ supportUserId, handoffId, recover, signal }) {
      refuseAborted('openConversation', signal);
      const token = await handoffVisitor(await contactOf(supportUserId, signal), handoffId, signal);
      // Rocket.Chat keeps one open room per visitor: this answers the handoff's, or creates one.
      const answer = await client.call({
        operation: 'openConversation',
        method: 'GET',
        path: '/livechat/room',
        query: { token },
        schema: livechatRoomAnswerSchema,
        signal,
      });
      roomTokens.set(answer.room._id, token);
      return { conversationId: answer.room._id, recovered: recover === true && answer.newRoom === false };
    },

    async postMessages({ conversationId, messages, recover, signal }) {
      refuseAborted('postMessages', signal);
      const room =
        recover || !roomTokens.has(conversationId)
          ? await roomInfo('postMessages', conversationId, signal)
          : undefined;
      if (room !== undefined && room.open !== true) {
        throw closedRoomError(conversationId, 'postMessages');
      }
      const token = await tokenOfRoom('postMessages', conversationId, signal);
      const already = posted.get(conversationId);
      const result: Array<{ id: string; supportMessageId: string }> = [];
      for (const message of messages) {
        const id = messageIdFor(conversationId, message.id);
        if (already?.has(message.id)) {
          result.push({ id: message.id, supportMessageId: id });
          continue;
        }
        if (recover && (await exists(conversationId, token, id, signal))) {
          remember(conversationId, message.id);
          result.push({ id: message.id, supportMessageId: id });
          continue;
        }
        const msg = textOf(message);
        try {
          const answer =
            message.author === 'user'
              ? await client.call({
                  operation: 'postMessages',
                  method: 'POST',
                  path: '/livechat/message',
                  json: { token, rid: conversationId, msg, _id: id },
                  schema: messageAnswerSchema,
                  signal,
                })
              : await sendAsUser(client, {
                  operation: 'postMessages',
                  roomId: conversationId,
                  id,
                  text: msg,
                  signal,
                });
          remember(conversationId, message.id);
          result.push({ id: message.id, supportMessageId: answer.message._id });
        } catch (error) {
          // A 400 on a post whose `_id` is already in the room: posted before (a retry).
          if (
            isSupportError(error) &&
            error.status === 400 &&
            error.code !== 'not_found' &&
            error.code !== 'conflict' &&
            (await exists(conversationId, token, id, signal).catch(() => false))
          ) {
            remember(conversationId, message.id);
            result.push({ id: message.id, supportMessageId: id });
            continue;
          }
          throw error;
        }
      }
      return { posted: result };
    },

    async listTeams(options = {}) {
      refuseAborted('listTeams', options.signal);
      return (await departments.list('listTeams', options.signal)).map((team) => ({ ...team }));
    },

    async transfer({ conversationId, team, note, recover, signal }) {
      refuseAborted('transfer', signal);
      const room = await roomInfo('transfer', conversationId, signal);
      const department = await departments.find(team, 'transfer', signal);
      if (room.open !== true) throw closedRoomError(conversationId, 'transfer');
      if (room.departmentId === department.id) {
        // Rocket.Chat refuses a forward to the room's own department. A retried transfer (recover)
        // forwarded already, its note the comment; a new transfer to the same department leaves
        // its note as a message of ours (its `_id` derived from the note: posted once).
        if (!recover && note !== undefined && note !== '') {
          const id = messageIdFor(conversationId, `transfer-note:${sha256(note).toString('hex')}`);
          try {
            await sendAsUser(client, {
              operation: 'transfer',
              roomId: conversationId,
              id,
              text: note,
              signal,
            });
          } catch (error) {
            const token = room.v?.token;
            const postedBefore =
              isSupportError(error) &&
              error.status === 400 &&
              token != null &&
              (await exists(conversationId, token, id, signal).catch(() => false));
            if (!postedBefore) throw error;
          }
        }
        return { team: department };
      }
      await forwardRoom(client, {
        operation: 'transfer',
        roomId: conversationId,
        departmentId: department.id,
        note,
        signal,
      });
      return { team: department };
    },

    async teamAvailability({ team, signal }) {
      refuseAborted('teamAvailability', signal);
      const department = await departments.find(team, 'teamAvailability', signal);
      const answer = await client.call({
        operation: 'teamAvailability',
        method: 'GET',
        path: '/livechat/config',
        query: { department: department.id },
        schema: livechatConfigSchema,
        signal,
      });
      // Business hours act through the agents: outside them Rocket.Chat makes the department's
      // agents unavailable, so `online` is false for either reason.
      return answer.config.online === true ? { available: true } : { available: false, reason: 'no_agents' };
    },

    async closeSession({ conversationId, note, signal }) {
      refuseAborted('closeSession', signal);
      try {
        await client.call({
          operation: 'closeSession',
          method: 'POST',
          path: '/livechat/room.closeByUser',
          // A comment is required on a default workspace (closeRoom, lib/closeRoom.ts).
          json: { rid: conversationId, comment: note?.trim() ? note : settings.closingComment },
          schema: successSchema,
          signal,
        });
      } catch (error) {
        // Closed already (by an agent, or by this call before its answer was lost): done.
        if (
          isSupportError(error) &&
          error.status === 400 &&
          closedRoomErrors.test(rocketChatErrorName(error.vendorBody))
        )
          return;
        throw error;
      }
    },

    async handleWebhook({ headers, body, signal }) {
      refuseAborted('handleWebhook', signal);
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
      // Rocket.Chat sends no delivery id: the delivery is known by its content (a retry of
      // sendRequest sends the same body).
      const deliveryId = `${payload.data.type}:${sha256(body).toString('hex').slice(0, 32)}`;
      await refuseReplayedDelivery(replayGuard, { provider, deliveryId, ttlMs: replayWindowSeconds * 1000 });
      const { events, unreadable } = webhookEvents(payload.data, {
        ownUserId: settings.userId,
        baseUrl: settings.baseUrl,
      });
      return { deliveryId, events, ...(unreadable.length === 0 ? {} : { unreadable }) };
    },
  };
}

// The Livechat webhook as Rocket.Chat builds and sends it: the payload of
// app/livechat/server/hooks/sendToCRM.ts (the room's guest info of `getLivechatRoomGuestInfo`,
// `type`, the fields of the type, the messages) and the delivery of `Livechat.sendRequest`
// (POST, `X-RocketChat-Livechat-Token`, success only on 200, tried 10 times).
import type { WebhookRequest } from '@handoff/core';
import { createWebhookSender, type WebhookOrder } from '@handoff/fake-server';
import type { FakeMessage, FakeRoom } from './fake-records.js';
import type { FakeState } from './fake-state.js';

/** The `type` of a Livechat webhook, by the callback that sends it. */
export type LivechatWebhookType =
  | 'LivechatSessionStart'
  | 'LivechatSessionQueued'
  | 'LivechatSessionTaken'
  | 'LivechatSessionForwarded'
  | 'LivechatSession'
  | 'Message';

const closingType = 'livechat-close';

/** The fields each type adds (`getAdditionalFieldsByType`). */
function fieldsOfType(type: LivechatWebhookType, room: FakeRoom, extra: { oldDepartmentId?: string }) {
  const { departmentId, servedBy, closedAt, closedBy, closer } = room;
  switch (type) {
    case 'LivechatSessionStart':
    case 'LivechatSessionQueued':
      return { departmentId };
    case 'LivechatSession':
      return { departmentId, servedBy, closedAt, closedBy, closer };
    case 'LivechatSessionTaken':
      return { departmentId, servedBy };
    case 'LivechatSessionForwarded':
      return { departmentId, servedBy, oldDepartmentId: extra.oldDepartmentId };
    case 'Message':
      return {};
  }
}

/**
 * A message as the webhook carries it: `agentId` when the author is not the visitor; system
 * messages are left out but the closing one (and the navigation history, off by default).
 */
function webhookMessage(message: FakeMessage, visitorUsername: string) {
  if (message.t !== undefined && message.t !== closingType) return undefined;
  return {
    _id: message._id,
    username: message.u.username,
    // `message.msg || JSON.stringify(message.blocks)`: an empty text without blocks is left out.
    ...(message.msg === '' ? {} : { msg: message.msg }),
    ts: message.ts,
    rid: message.rid,
    ...(message.editedAt === undefined ? {} : { editedAt: message.editedAt }),
    ...(message.u.username === visitorUsername ? {} : { agentId: message.u._id }),
    ...(message.t === closingType ? { closingMessage: true } : {}),
    ...(message.attachments === undefined ? {} : { file: {}, attachments: message.attachments }),
    u: message.u,
    _updatedAt: message.ts,
  };
}

export interface LivechatWebhookSettings {
  state: FakeState;
  /** How long `sendRequest` waits before trying again (Rocket.Chat: 4 × `Livechat_http_timeout`, 20 s). */
  retryDelayMs: number;
  /** Several deliveries in flight at once arrive in any order (each is its own request). */
  order: WebhookOrder;
}

/** The fake's Livechat webhooks: `send` is what each callback of sendToCRM.ts does. */
export function createLivechatWebhooks(settings: LivechatWebhookSettings) {
  const { state } = settings;
  const sender = createWebhookSender({
    headersFor: () => ({
      'content-type': 'application/json',
      ...(state.settings.Livechat_secret_token === ''
        ? {}
        : { 'x-rocketchat-livechat-token': state.settings.Livechat_secret_token }),
    }),
    url: () => state.settings.Livechat_webhookUrl,
    timeoutMs: 5_000,
    // Only a 200 is delivered; anything else (another status, a timeout, a network error) is
    // tried again, 10 attempts in all (sendRequest, lib/webhooks.ts).
    delivered: (status) => status === 200,
    retry: { attempts: 10, delayMs: settings.retryDelayMs, statuses: 'any' },
    order: settings.order,
  });

  /** `getLivechatRoomGuestInfo` plus the type's fields and the messages. */
  const payloadOf = (
    type: LivechatWebhookType,
    room: FakeRoom,
    messages: FakeMessage[] | undefined,
    extra: { oldDepartmentId?: string },
  ) => {
    const visitor = state.visitors.find((candidate) => candidate._id === room.v._id);
    const agent =
      room.servedBy === undefined
        ? undefined
        : state.users.find((candidate) => candidate._id === room.servedBy?._id);
    return {
      _id: room._id,
      label: room.fname,
      createdAt: room.ts,
      lastMessageAt: room.lm,
      // `customFields` is the room's `livechatData`: the fake's rooms have none, so it is left out.
      visitor: {
        _id: visitor?._id,
        token: visitor?.token,
        name: visitor?.name,
        username: visitor?.username,
        // getLivechatRoomGuestInfo (lib/guests.ts): email and phone only when the visitor has one.
        ...(visitor?.visitorEmails?.length ? { email: visitor.visitorEmails } : {}),
        ...(visitor?.phone?.length ? { phone: visitor.phone } : {}),
        department: visitor?.department,
        customFields: visitor?.livechatData,
      },
      ...(agent === undefined
        ? {}
        : {
            agent: {
              _id: agent._id,
              username: agent.username,
              name: agent.name,
              // Its first email address, when it has one.
              ...(agent.email === undefined ? {} : { email: agent.email }),
            },
          }),
      type,
      // Every delivery has `messages`: those asked for, or none.
      messages: (messages ?? []).flatMap((message) => {
        const shaped = webhookMessage(message, room.v.username);
        return shaped === undefined ? [] : [shaped];
      }),
      ...fieldsOfType(type, room, extra),
    };
  };

  return {
    /**
     * Sends the webhook of `type` for the room as it is now, if the setting of that type is on:
     * `messages` true sends every visible message of the room, an array those.
     */
    send(
      type: LivechatWebhookType,
      room: FakeRoom,
      messages: boolean | FakeMessage[],
      extra: { oldDepartmentId?: string } = {},
    ): void {
      const on: Record<LivechatWebhookType, boolean> = {
        LivechatSessionStart: state.settings.Livechat_webhook_on_start,
        LivechatSessionQueued: state.settings.Livechat_webhook_on_chat_queued,
        LivechatSessionTaken: state.settings.Livechat_webhook_on_chat_taken,
        LivechatSessionForwarded: state.settings.Livechat_webhook_on_forward,
        LivechatSession: state.settings.Livechat_webhook_on_close,
        Message: true,
      };
      if (!on[type]) return;
      const included =
        messages === true
          ? state.messages.filter((message) => message.rid === room._id)
          : messages === false
            ? undefined
            : messages;
      sender.emit(payloadOf(type, room, included, extra));
    },
    /** `afterSaveMessage`: a visitor's or an agent's message, as their settings say. */
    messageSaved(message: FakeMessage, room: FakeRoom): void {
      const byVisitor = message.token !== undefined;
      if (byVisitor && !state.settings.Livechat_webhook_on_visitor_message) return;
      if (!byVisitor && !state.settings.Livechat_webhook_on_agent_message) return;
      // System messages, the closing one included, are saved without this callback.
      if (message.t !== undefined) return;
      this.send('Message', room, [message]);
    },
    subscribe: (listener: (request: WebhookRequest) => void) => sender.subscribe(listener),
    idle: () => sender.idle(),
    stop: () => sender.stop(),
  };
}

export type LivechatWebhooks = ReturnType<typeof createLivechatWebhooks>;

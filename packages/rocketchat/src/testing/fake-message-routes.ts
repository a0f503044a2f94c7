// The message routes: the visitor's `livechat/message` and `livechat/message/:_id`
// (app/livechat/server/api/v1/message.ts) and a user's `chat.sendMessage`
// (app/api/server/v1/chat.ts, executeSendMessage of app/lib/server/methods/sendMessage.ts).
import { refuse } from '@handoff/fake-server';
import {
  bodyObject,
  failure,
  requireUser,
  success,
  throwError,
  throwInvalidParams,
  throwMeteorError,
} from './fake-answers.js';
import { apiPrefix, type FakeRocketChatContext, type FakeRocketChatRoute } from './fake-context.js';
import { visitorByToken } from './fake-guests.js';
import { rocketChatId } from './fake-ids.js';
import { roomById, saveMessage } from './fake-omnichannel.js';
import type { FakeMessage } from './fake-records.js';
import { canAccessRoom } from './fake-room-routes.js';
import { messageView } from './fake-views.js';

/**
 * Rocket.Chat keeps the `_id` a client gives; a second message with it is not stored, and the route
 * fails with a 400 (a TypeError text in Rocket.Chat; the fake's text differs: FIDELITY.md).
 */
function refuseDuplicate(context: FakeRocketChatContext, id: string): void {
  if (context.state.messages.some((message) => message._id === id)) {
    refuse(
      failure(
        `E11000 duplicate key error collection: rocketchat.rocketchat_message index: _id_ dup key: { _id: "${id}" }`,
      ),
    );
  }
}

function stringField(record: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const value = record[key];
  if (value === undefined) {
    if (required) throwInvalidParams(`must have required property '${key}'`);
    return undefined;
  }
  if (typeof value !== 'string') throwInvalidParams(`/${key} must be string`);
  return value;
}

/** Meteor's `check(_id, String)` on a client id: Rocket.Chat takes any non-empty string. */
function clientId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '') throwInvalidParams('/_id must NOT have fewer than 1 characters');
  return value;
}

export const messageRoutes: FakeRocketChatRoute[] = [
  {
    // The visitor writes into its room: `token` proves who it is.
    method: 'POST',
    pattern: `${apiPrefix}/livechat/message`,
    handle({ context, body }) {
      const fields = bodyObject(body);
      const token = stringField(fields, 'token', true) as string;
      const rid = stringField(fields, 'rid', true) as string;
      const msg = stringField(fields, 'msg', true) as string;
      const id = clientId(stringField(fields, '_id', false));
      const visitor = visitorByToken(context, token);
      if (visitor === undefined) throwError('invalid-token');
      const room = roomById(context, rid);
      if (room === undefined || room.v.token !== token) throwError('invalid-room');
      if (!room.open) throwError('room-closed');
      const _id = id ?? rocketChatId();
      refuseDuplicate(context, _id);
      const message: FakeMessage = {
        _id,
        rid,
        msg,
        token,
        ts: context.state.now(),
        u: { _id: visitor._id, username: visitor.username, ...(visitor.name ? { name: visitor.name } : {}) },
      };
      return success({ message: messageView(saveMessage(context, room, message)) });
    },
  },
  {
    // One message of the visitor's room, by id.
    method: 'GET',
    pattern: `${apiPrefix}/livechat/message/:_id`,
    handle({ context, path, query }) {
      if (query.token === undefined) throwInvalidParams("must have required property 'token'");
      if (query.rid === undefined) throwInvalidParams("must have required property 'rid'");
      if (visitorByToken(context, query.token) === undefined) throwError('invalid-token');
      const room = roomById(context, query.rid);
      if (room === undefined || room.v.token !== query.token) throwError('invalid-room');
      const message = context.state.messages.find(
        (candidate) => candidate._id === path._id && candidate.rid === room._id,
      );
      if (message === undefined) throwError('invalid-message');
      return success({ message: messageView(message) });
    },
  },
  {
    // A user writes into a room it may see (an omnichannel room: served by it, or `view-livechat-rooms`).
    method: 'POST',
    pattern: `${apiPrefix}/chat.sendMessage`,
    handle(request) {
      const user = requireUser(request);
      const { context } = request;
      const message = bodyObject(request.body).message;
      if (typeof message !== 'object' || message === null || Array.isArray(message))
        throwInvalidParams("must have required property 'message'");
      const fields = message as Record<string, unknown>;
      const rid = stringField(fields, 'rid', true) as string;
      const msg = stringField(fields, 'msg', false) ?? '';
      const id = clientId(stringField(fields, '_id', false));
      if (typeof fields.t === 'string') throwError("Cannot send system messages using 'chat.sendMessage'");
      if (msg.length > context.state.settings.Message_MaxAllowedSize)
        throwMeteorError('error-message-size-exceeded', 'Message size exceeds Message_MaxAllowedSize');
      const room = roomById(context, rid);
      if (room === undefined) throwError('error-invalid-room');
      // No check of `open` on the server (executeSendMessage, canSendMessage): a closed room takes
      // the message from anyone who may still see it; only the web client's composer refuses.
      if (!canAccessRoom(context, room, user)) throwError('error-not-allowed');
      const _id = id ?? rocketChatId();
      refuseDuplicate(context, _id);
      const saved = saveMessage(context, room, {
        _id,
        rid,
        msg,
        ts: context.state.now(),
        u: { _id: user._id, username: user.username, name: user.name },
      });
      return success({ message: messageView(saved) });
    },
  },
];

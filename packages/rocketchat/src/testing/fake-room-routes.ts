// The room routes: `livechat/room` (app/livechat/server/api/v1/room.ts: the visitor's open room,
// created when there is none), `rooms.info` (app/api/server/v1/rooms.ts), `livechat/room.forward`
// and `livechat/room.closeByUser` (room.ts, with Livechat.transfer and Livechat.closeRoom).
import { refuse } from '@handoff/fake-server';
import {
  bodyObject,
  failure,
  hasPermission,
  requireUser,
  success,
  throwError,
  throwInvalidParams,
  throwMeteorError,
} from './fake-answers.js';
import type { FakeRocketChatContext } from './fake-context.js';
import { apiPrefix, type FakeRocketChatRoute } from './fake-context.js';
import { visitorByToken } from './fake-guests.js';
import { closeRoom, createRoom, forwardToDepartment, openRoomOf, roomById } from './fake-omnichannel.js';
import type { FakeRoom, FakeUser } from './fake-records.js';
import { roomView } from './fake-views.js';

/**
 * Whether a user may see an omnichannel room (the livechat room access validators): the agent
 * serving it, a user with `view-livechat-rooms`, or an agent of the department it waits in.
 */
export function canAccessRoom(context: FakeRocketChatContext, room: FakeRoom, user: FakeUser): boolean {
  if (room.servedBy?._id === user._id) return true;
  if (hasPermission(user, 'view-livechat-rooms')) return true;
  const inquiry = context.state.inquiries.find((candidate) => candidate.rid === room._id);
  if (inquiry?.status !== 'queued' || !hasPermission(user, 'view-l-room')) return false;
  if (inquiry.department === undefined) return true;
  return context.state.departments.some(
    (department) => department._id === inquiry.department && department.agentIds.includes(user._id),
  );
}

/** `check(value, String)` on a body field, as the route's ajv validation answers it. */
function requiredString(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (value === undefined) throwInvalidParams(`must have required property '${key}'`);
  if (typeof value !== 'string') throwInvalidParams(`must be string`);
  return value;
}

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throwInvalidParams('must be string');
  return value;
}

export const roomRoutes: FakeRocketChatRoute[] = [
  {
    // The visitor's open room (`newRoom: false`), or a new one routed to the queue (`newRoom: true`).
    method: 'GET',
    pattern: `${apiPrefix}/livechat/room`,
    handle({ context, query }) {
      if (!context.state.settings.Livechat_enabled) throwMeteorError('error-omnichannel-is-disabled');
      const token = query.token;
      if (token === undefined) throwError('Match error: Expected string, got undefined in field token');
      const visitor = visitorByToken(context, token);
      if (visitor === undefined) throwError('invalid-token');
      if (query.rid !== undefined) {
        const room = roomById(context, query.rid);
        if (room === undefined || !room.open || room.v.token !== token) throwError('invalid-room');
        return success({ room: roomView(room), newRoom: false });
      }
      const open = openRoomOf(context, token);
      if (open !== undefined) return success({ room: roomView(open), newRoom: false });
      return success({ room: roomView(createRoom(context, visitor)), newRoom: true });
    },
  },
  {
    // Any room the caller may see, by id.
    method: 'GET',
    pattern: `${apiPrefix}/rooms.info`,
    handle(request) {
      const user = requireUser(request);
      const roomId = request.query.roomId?.trim() ?? '';
      if (roomId === '' && (request.query.roomName?.trim() ?? '') === '')
        throwMeteorError(
          'error-roomid-param-not-provided',
          'The parameter "roomId" or "roomName" is required',
        );
      const room = roomById(request.context, roomId);
      if (room === undefined)
        throwMeteorError(
          'error-room-not-found',
          'The required "roomId" or "roomName" param provided does not match any channel',
        );
      // `API.v1.failure('not-allowed', 'Not Allowed')`: the error is `not-allowed`, the type `Not Allowed`.
      if (!canAccessRoom(request.context, room, user)) refuse(failure('not-allowed', 'Not Allowed'));
      return success({ room: roomView(room) });
    },
  },
  {
    // Forwards an open room to a department (or an agent), with the comment in the transfer history.
    method: 'POST',
    pattern: `${apiPrefix}/livechat/room.forward`,
    handle(request) {
      const user = requireUser(request, { all: ['view-l-room', 'transfer-livechat-guest'] });
      const body = bodyObject(request.body);
      const roomId = requiredString(body, 'roomId');
      const departmentId = optionalString(body, 'departmentId');
      const comment = optionalString(body, 'comment');
      if (body.userId !== undefined) throwInvalidParams('the fake forwards to departments only');
      const { context } = request;
      const room = roomById(context, roomId);
      if (room === undefined) throwError('error-invalid-room');
      if (!room.open) throwError('This_conversation_is_already_closed');
      if (departmentId === undefined) refuse(failure('error-forwarding-chat'));
      const department = context.state.departments.find((candidate) => candidate._id === departmentId);
      // transfer() (lib/transfer.ts): an unknown department is `error-invalid-department`; a
      // disabled one is not checked (forwardRoomToDepartment, lib/Helper.ts).
      if (department === undefined) throwError('error-invalid-department');
      if (room.departmentId === department._id) throwError('error-forwarding-chat-same-department');
      forwardToDepartment(context, room, department, user, comment);
      return success();
    },
  },
  {
    // Closes an open room as the calling user, the comment as the closing message.
    method: 'POST',
    pattern: `${apiPrefix}/livechat/room.closeByUser`,
    handle(request) {
      const user = requireUser(request, { all: ['close-livechat-room'] });
      const body = bodyObject(request.body);
      const rid = requiredString(body, 'rid');
      const comment = optionalString(body, 'comment');
      const { context } = request;
      const room = roomById(context, rid);
      // closeLivechatRoom (lib/server/functions/closeLivechatRoom.ts): the room, then whether the
      // caller is in it (its subscription: the serving agent) or may close others' rooms, then open.
      if (room === undefined) throwError('error-invalid-room');
      // The serving agent's subscription goes with the close: then only close-others helps.
      const subscribed = room.open && room.servedBy?._id === user._id;
      if (!subscribed && !hasPermission(user, 'close-others-livechat-room'))
        throwError('error-not-authorized');
      if (!room.open) throwError('error-room-already-closed');
      if (context.state.settings.Livechat_request_comment_when_closing_conversation && !comment?.trim())
        throwError('error-comment-is-required');
      closeRoom(context, room, { user }, comment === '' ? undefined : comment);
      return success();
    },
  },
];

import { isSupportError, SupportError } from '@handoff/core';
import type { RocketChatClient } from './rocketchat-client.js';
import { rocketChatErrorName } from './rocketchat-errors.js';
import {
  messageAnswerSchema,
  type RocketChatRoom,
  roomInfoAnswerSchema,
  successSchema,
} from './rocketchat-responses.js';

/** A SupportError `conflict` for an action on a room that is closed. */
export function closedRoomError(roomId: string, operation: string): SupportError {
  return new SupportError({
    code: 'conflict',
    message: `Rocket.Chat room ${roomId} is closed`,
    provider: 'rocketchat',
    operation,
  });
}

/** `GET rooms.info`: an omnichannel room (`t: 'l'`), or `not_found`. */
export async function readRoom(
  client: RocketChatClient,
  operation: string,
  roomId: string,
  signal?: AbortSignal,
): Promise<RocketChatRoom> {
  const missing = () =>
    new SupportError({
      code: 'not_found',
      message: `Rocket.Chat has no omnichannel room ${JSON.stringify(roomId.slice(0, 64))}`,
      provider: 'rocketchat',
      operation,
    });
  if (roomId === '' || /[/?#\s]/.test(roomId)) throw missing();
  const answer = await client.call({
    operation,
    method: 'GET',
    path: '/rooms.info',
    query: { roomId },
    schema: roomInfoAnswerSchema,
    signal,
  });
  const room = answer.room;
  if (room === undefined || room === null || (room.t != null && room.t !== 'l')) throw missing();
  return room;
}

/**
 * `POST livechat/room.forward` to a department, with the note as the comment of the transfer
 * (Rocket.Chat keeps it on the `livechat_transfer_history` system message agents see).
 */
export async function forwardRoom(
  client: RocketChatClient,
  options: {
    operation: string;
    roomId: string;
    departmentId: string;
    note?: string | undefined;
    signal?: AbortSignal | undefined;
  },
): Promise<void> {
  await client.call({
    operation: options.operation,
    method: 'POST',
    path: '/livechat/room.forward',
    json: {
      roomId: options.roomId,
      departmentId: options.departmentId,
      ...(options.note === undefined || options.note === '' ? {} : { comment: options.note }),
    },
    schema: successSchema,
    signal: options.signal,
  });
}

/** `POST chat.sendMessage` as the calling user, with our `_id`. */
export async function sendAsUser(
  client: RocketChatClient,
  options: { operation: string; roomId: string; id: string; text: string; signal?: AbortSignal | undefined },
) {
  return client.call({
    operation: options.operation,
    method: 'POST',
    path: '/chat.sendMessage',
    json: { message: { _id: options.id, rid: options.roomId, msg: options.text } },
    schema: messageAnswerSchema,
    signal: options.signal,
  });
}

/**
 * Whether a message with this `_id` is in the room: `GET livechat/message/:_id` with the room's
 * visitor token (400 `invalid-message` when there is none).
 */
export async function messageExists(
  client: RocketChatClient,
  options: { operation: string; roomId: string; token: string; id: string; signal?: AbortSignal | undefined },
): Promise<boolean> {
  try {
    await client.call({
      operation: options.operation,
      method: 'GET',
      path: `/livechat/message/${options.id}`,
      query: { token: options.token, rid: options.roomId },
      schema: messageAnswerSchema,
      signal: options.signal,
    });
    return true;
  } catch (error) {
    if (
      isSupportError(error) &&
      error.code === 'not_found' &&
      /invalid-message/.test(rocketChatErrorName(error.vendorBody))
    )
      return false;
    throw error;
  }
}

// What the harness shows the kit of a room: the room's state and its messages, read from the
// fake's records (never from what the adapter said).
import type { HarnessConversation, HarnessMessage } from '@handoff/core';
import type { FakeMessage, FakeRoom } from './fake-records.js';
import type { FakeState } from './fake-state.js';

/**
 * A message as the kit sees it: the visitor's are `user`, those of the bot's user `bot`, other
 * users' `agent`; the transfer comment and the closing comment are notes only agents see (the
 * Livechat webhook leaves system messages out, so the visitor side never gets them).
 */
function harnessMessage(message: FakeMessage, botUserIds: readonly string[]): HarnessMessage | undefined {
  if (message.t === 'livechat_transfer_history') {
    const comment = message.transferData?.comment;
    return comment === undefined ? undefined : { author: 'note', text: comment, private: true };
  }
  if (message.t === 'livechat-close')
    return message.msg === '' ? undefined : { author: 'note', text: message.msg, private: true };
  if (message.t !== undefined) return undefined;
  const author = message.token !== undefined ? 'user' : botUserIds.includes(message.u._id) ? 'bot' : 'agent';
  return {
    author,
    text: message.msg,
    private: false,
    ...(message.attachments === undefined
      ? {}
      : { attachments: message.attachments.map((file) => ({ url: file.title_link, name: file.title })) }),
  };
}

/** A room as the kit reads it: queued or served rooms are open to agents (who were told), closed ones resolved. */
export function harnessConversation(
  state: FakeState,
  room: FakeRoom,
  botUserIds: readonly string[],
): HarnessConversation {
  const inquiry = state.inquiries.find((candidate) => candidate.rid === room._id);
  const department = state.departments.find((candidate) => candidate._id === room.departmentId);
  return {
    conversationId: room._id,
    supportUserId: room.v._id,
    status: room.open ? 'open' : 'resolved',
    agentsNotified: room.open && (room.servedBy !== undefined || inquiry?.status === 'queued'),
    ...(department === undefined ? {} : { team: { id: department._id, name: department.name } }),
    messages: state.messages
      .filter((message) => message.rid === room._id)
      .flatMap((message) => {
        const shown = harnessMessage(message, botUserIds);
        return shown === undefined ? [] : [shown];
      }),
  };
}

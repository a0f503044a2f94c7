// What happens to omnichannel rooms, for the routes and for the harness acting as agents and
// visitors: QueueManager.requestRoom, RoutingManager (take, forward to a department),
// Livechat.closeRoom and sendMessage's afterSaveMessage (app/livechat/server/lib/*).
import { throwMeteorError } from './fake-answers.js';
import type { FakeRocketChatContext } from './fake-context.js';
import { departmentOnline } from './fake-department-routes.js';
import { rocketChatId } from './fake-ids.js';
import type { FakeDepartment, FakeMessage, FakeRoom, FakeUser, FakeVisitor } from './fake-records.js';

export const roomById = (context: FakeRocketChatContext, roomId: string) =>
  context.state.rooms.find((room) => room._id === roomId);

/** `findOneOpenByVisitorToken`: the visitor's open room. */
export const openRoomOf = (context: FakeRocketChatContext, token: string) =>
  context.state.rooms.find((room) => room.open && room.v.token === token);

const inquiryOf = (context: FakeRocketChatContext, roomId: string) =>
  context.state.inquiries.find((inquiry) => inquiry.rid === roomId);

/** Stores a message, counts it on the room, and runs `afterSaveMessage` (the Livechat webhook). */
export function saveMessage(
  context: FakeRocketChatContext,
  room: FakeRoom,
  message: FakeMessage,
): FakeMessage {
  context.state.messages.push(message);
  room.msgs += 1;
  room.lm = message.ts;
  context.webhooks.messageSaved(message, room);
  return message;
}

/** A bot agent of the department (or any bot agent) that takes chats now (`beforeDelegateAgent`). */
function botAgentFor(context: FakeRocketChatContext, departmentId: string | undefined): FakeUser | undefined {
  const { state } = context;
  if (!state.settings.Livechat_assign_new_conversation_to_bot) return undefined;
  const bots = state.users.filter((user) => user.roles.includes('bot') && user.available);
  if (departmentId === undefined) return bots[0];
  const department = state.departments.find((candidate) => candidate._id === departmentId);
  return bots.find((bot) => department?.agentIds.includes(bot._id));
}

/** The first enabled department shown on registration with an available agent, if any. */
function requiredDepartment(context: FakeRocketChatContext): string | undefined {
  return context.state.departments.find(
    (department) =>
      department.enabled &&
      department.showOnRegistration &&
      department.agentIds.length > 0 &&
      departmentOnline(context, department._id),
  )?._id;
}

/** An agent takes the room (`RoutingManager.takeInquiry`): it serves the room, the inquiry is taken. */
export function takeRoom(context: FakeRocketChatContext, room: FakeRoom, agent: FakeUser): void {
  room.servedBy = { _id: agent._id, username: agent.username, ts: context.state.now() };
  const inquiry = inquiryOf(context, room._id);
  if (inquiry !== undefined) inquiry.status = 'taken';
  context.webhooks.send('LivechatSessionTaken', room, true);
}

/** Routes a waiting room: to a bot agent when the workspace gives new rooms to bots, else it stays queued. */
function delegate(context: FakeRocketChatContext, room: FakeRoom): void {
  const bot = botAgentFor(context, room.departmentId);
  if (bot !== undefined) {
    takeRoom(context, room, bot);
    return;
  }
  context.webhooks.send('LivechatSessionQueued', room, true);
}

/**
 * `QueueManager.requestRoom`: a new open room of the visitor (in the visitor's department, if any)
 * with its inquiry queued, then routed.
 */
export function createRoom(context: FakeRocketChatContext, visitor: FakeVisitor): FakeRoom {
  const { state } = context;
  const now = state.now();
  // Without a department and with no bot agent to take it, the room goes to the first department
  // open to visitors with an agent online (getRequiredDepartment); with nobody online at all, or
  // nobody in the visitor's department, it is refused unless the workspace accepts such chats.
  const bot = botAgentFor(context, visitor.department);
  const departmentId = visitor.department ?? (bot === undefined ? requiredDepartment(context) : undefined);
  if (
    bot === undefined &&
    !state.settings.Livechat_accept_chats_with_no_agents &&
    !departmentOnline(context, departmentId)
  )
    throwMeteorError('no-agent-online', 'Sorry, no online agents');
  const room: FakeRoom = {
    _id: rocketChatId(),
    t: 'l',
    fname: visitor.name ?? visitor.username,
    v: { _id: visitor._id, username: visitor.username, token: visitor.token, status: 'online' },
    ...(departmentId === undefined ? {} : { departmentId }),
    open: true,
    ts: now,
    msgs: 0,
  };
  state.rooms.push(room);
  state.inquiries.push({
    _id: rocketChatId(),
    rid: room._id,
    ...(room.departmentId === undefined ? {} : { department: room.departmentId }),
    status: 'queued',
    ts: now,
  });
  context.webhooks.send('LivechatSessionStart', room, true);
  delegate(context, room);
  return room;
}

/**
 * `forwardRoomToDepartment` with manual routing (lib/Helper.ts): the transfer is recorded as a
 * `livechat_transfer_history` message with the comment, the room's department changes and the
 * forward webhook goes out while the room still names its old serving agent
 * (`RoutingManager.unassignAgent` runs `updateChatDepartment`, whose callback sends it, before
 * `removeAgentByRoomId`); then the agent leaves and the inquiry waits in the department's queue.
 * Nothing routes it further: manual routing never delegates a forwarded room.
 */
export function forwardToDepartment(
  context: FakeRocketChatContext,
  room: FakeRoom,
  department: FakeDepartment,
  by: FakeUser,
  comment: string | undefined,
): void {
  const { state } = context;
  const oldDepartmentId = room.departmentId;
  const byAgent = room.servedBy?._id === by._id;
  const now = state.now();
  saveMessage(context, room, {
    _id: rocketChatId(),
    rid: room._id,
    msg: '',
    t: 'livechat_transfer_history',
    ts: now,
    u: { _id: by._id, username: by.username, name: by.name },
    transferData: {
      transferredBy: {
        _id: by._id,
        username: by.username,
        name: by.name,
        userType: byAgent ? 'agent' : 'user',
      },
      scope: 'department',
      ...(comment === undefined ? {} : { comment }),
      ...(oldDepartmentId === undefined ? {} : { previousDepartment: oldDepartmentId }),
      nextDepartment: { _id: department._id, name: department.name },
      ts: now,
    },
  });
  room.departmentId = department._id;
  context.webhooks.send(
    'LivechatSessionForwarded',
    room,
    true,
    oldDepartmentId === undefined ? {} : { oldDepartmentId },
  );
  delete room.servedBy;
  const inquiry = inquiryOf(context, room._id);
  if (inquiry !== undefined) {
    inquiry.status = 'queued';
    inquiry.department = department._id;
  }
  context.webhooks.send('LivechatSessionQueued', room, true);
}

/**
 * `Livechat.closeRoom`: the closing message (`livechat-close`, the comment as its text) by whoever
 * closed it, then the room closed (`open` unset, `closedAt`, `closedBy`, `closer`), its inquiry
 * gone, and the close webhook with every message of the room.
 */
export function closeRoom(
  context: FakeRocketChatContext,
  room: FakeRoom,
  closer: { user: FakeUser } | { visitor: FakeVisitor },
  comment: string | undefined,
): void {
  const { state } = context;
  const now = state.now();
  const author =
    'user' in closer
      ? { _id: closer.user._id, username: closer.user.username, name: closer.user.name }
      : { _id: closer.visitor._id, username: closer.visitor.username };
  room.open = false;
  room.closedAt = now;
  room.closedBy = { _id: author._id, username: author.username };
  room.closer = 'user' in closer ? 'user' : 'visitor';
  if (comment !== undefined) room.closingComment = comment;
  state.inquiries = state.inquiries.filter((inquiry) => inquiry.rid !== room._id);
  saveMessage(context, room, {
    _id: rocketChatId(),
    rid: room._id,
    msg: comment ?? '',
    t: 'livechat-close',
    ts: now,
    u: author,
    ...('visitor' in closer ? { token: closer.visitor.token } : {}),
  });
  context.webhooks.send('LivechatSession', room, true);
}

/**
 * `forwardRoomToAgent`: the room goes straight to the agent (a human, or back to the bot agent),
 * recorded as a `livechat_transfer_history` message of scope `agent`.
 */
export function forwardToAgent(
  context: FakeRocketChatContext,
  room: FakeRoom,
  agent: FakeUser,
  by: FakeUser,
): void {
  const now = context.state.now();
  const byAgent = room.servedBy?._id === by._id;
  room.servedBy = { _id: agent._id, username: agent.username, ts: now };
  const inquiry = inquiryOf(context, room._id);
  if (inquiry !== undefined) inquiry.status = 'taken';
  saveMessage(context, room, {
    _id: rocketChatId(),
    rid: room._id,
    msg: '',
    t: 'livechat_transfer_history',
    ts: now,
    u: { _id: by._id, username: by.username, name: by.name },
    transferData: {
      transferredBy: {
        _id: by._id,
        username: by.username,
        name: by.name,
        userType: byAgent ? 'agent' : 'user',
      },
      scope: 'agent',
      ts: now,
    },
  });
  context.webhooks.send('LivechatSessionForwarded', room, true);
}

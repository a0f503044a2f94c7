// The records as Rocket.Chat's REST answers show them (dates as ISO strings once serialised).
import type { FakeDepartment, FakeMessage, FakeRoom, FakeVisitor } from './fake-records.js';

/** A visitor (`ILivechatVisitor`). */
export const visitorView = (visitor: FakeVisitor) => ({
  _id: visitor._id,
  username: visitor.username,
  token: visitor.token,
  ...(visitor.name === undefined ? {} : { name: visitor.name }),
  ...(visitor.visitorEmails === undefined ? {} : { visitorEmails: visitor.visitorEmails }),
  ...(visitor.phone === undefined ? {} : { phone: visitor.phone }),
  ...(visitor.department === undefined ? {} : { department: visitor.department }),
  livechatData: visitor.livechatData,
  status: 'online',
  ts: visitor.ts,
  _updatedAt: visitor.ts,
});

/** An omnichannel room: a closed room has no `open` field (closeRoomById unsets it). */
export const roomView = (room: FakeRoom) => ({
  _id: room._id,
  t: room.t,
  fname: room.fname,
  msgs: room.msgs,
  usersCount: room.servedBy === undefined ? 1 : 2,
  v: room.v,
  ...(room.departmentId === undefined ? {} : { departmentId: room.departmentId }),
  ...(room.servedBy === undefined ? {} : { servedBy: room.servedBy }),
  ...(room.open ? { open: true } : {}),
  ts: room.ts,
  ...(room.lm === undefined ? {} : { lm: room.lm }),
  ...(room.closedAt === undefined ? {} : { closedAt: room.closedAt }),
  ...(room.closedBy === undefined ? {} : { closedBy: room.closedBy }),
  ...(room.closer === undefined ? {} : { closer: room.closer }),
  cl: false,
  _updatedAt: room.lm ?? room.ts,
});

/** A message (`IMessage`). */
export const messageView = (message: FakeMessage) => ({
  _id: message._id,
  rid: message.rid,
  msg: message.msg,
  ts: message.ts,
  u: message.u,
  ...(message.token === undefined ? {} : { token: message.token }),
  ...(message.t === undefined ? {} : { t: message.t }),
  ...(message.transferData === undefined ? {} : { transferData: message.transferData }),
  ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
  ...(message.editedAt === undefined ? {} : { editedAt: message.editedAt }),
  _updatedAt: message.ts,
});

/** A department (`ILivechatDepartment`), with its number of agents. */
export const departmentView = (department: FakeDepartment) => ({
  _id: department._id,
  name: department.name,
  enabled: department.enabled,
  description: department.description,
  showOnRegistration: department.showOnRegistration,
  showOnOfflineForm: department.showOnOfflineForm,
  email: department.email,
  numAgents: department.agentIds.length,
  _updatedAt: department._updatedAt,
});

import { z } from 'zod';

// What the adapter reads of Rocket.Chat's answers (REST API v1), nothing more; null is accepted
// wherever Rocket.Chat can send it.

const visitorSchema = z.object({
  _id: z.string(),
  token: z.string(),
  name: z.string().nullish(),
  visitorEmails: z.array(z.object({ address: z.string() })).nullish(),
  phone: z.array(z.object({ phoneNumber: z.string() })).nullish(),
  livechatData: z.record(z.string(), z.unknown()).nullish(),
});
export type RocketChatVisitor = z.infer<typeof visitorSchema>;
export const visitorAnswerSchema = z.object({ visitor: visitorSchema });

const servedBySchema = z.object({ _id: z.string(), username: z.string().nullish() });

const roomSchema = z.object({
  _id: z.string(),
  /** `l` for an omnichannel (livechat) room. */
  t: z.string().nullish(),
  open: z.boolean().nullish(),
  departmentId: z.string().nullish(),
  servedBy: servedBySchema.nullish(),
  v: z.object({ _id: z.string().nullish(), token: z.string().nullish() }).nullish(),
});
export type RocketChatRoom = z.infer<typeof roomSchema>;

/** `GET livechat/room`: the visitor's open room, created when there is none. */
export const livechatRoomAnswerSchema = z.object({ room: roomSchema, newRoom: z.boolean().nullish() });
/** `GET rooms.info`. */
export const roomInfoAnswerSchema = z.object({ room: roomSchema.nullish() });

export const messageAnswerSchema = z.object({ message: z.object({ _id: z.string() }) });

const departmentSchema = z.object({
  _id: z.string(),
  name: z.string(),
  enabled: z.boolean().nullish(),
});
export const departmentListSchema = z.object({
  departments: z.array(departmentSchema),
  total: z.number().nullish(),
  count: z.number().nullish(),
  offset: z.number().nullish(),
});

/** `GET livechat/config`: `online` is whether the department (or the workspace) takes chats now. */
export const livechatConfigSchema = z.object({
  config: z.object({ enabled: z.boolean().nullish(), online: z.boolean().nullish() }),
});

/** `visitors.info`: 8.x leaves the visitor's `token` out (7.x sends it). */
export const visitorInfoAnswerSchema = z.object({
  visitor: visitorSchema.extend({ token: z.string().nullish() }).nullish(),
});

/** `{success: true}`, the answer of actions (room.forward, room.closeByUser). */
export const successSchema = z.object({ success: z.boolean().nullish() });

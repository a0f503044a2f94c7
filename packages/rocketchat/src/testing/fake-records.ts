// The records the fake Rocket.Chat keeps, shaped as Rocket.Chat's collections (`users`,
// `rocketchat_livechat_visitor`, `rocketchat_room`, `rocketchat_message`,
// `rocketchat_livechat_department`, `rocketchat_livechat_inquiry`), only the fields the routes,
// the webhooks and the harness read.

/** A user of the workspace: the adapter's API user, the bot agent, human agents. */
export interface FakeUser {
  _id: string;
  username: string;
  name: string;
  /** `livechat-manager`, `livechat-agent`, `bot`, `user`. */
  roles: string[];
  /** The personal access token the user calls with (`X-Auth-Token`). */
  authToken: string;
  /** `statusLivechat`: whether the agent takes chats now. */
  available: boolean;
  email?: string;
}

/** A Livechat visitor (`ILivechatVisitor`). */
export interface FakeVisitor {
  _id: string;
  token: string;
  /** `guest-<n>`, given by Rocket.Chat. */
  username: string;
  name?: string;
  visitorEmails?: Array<{ address: string }>;
  phone?: Array<{ phoneNumber: string }>;
  department?: string;
  /** The visitor's custom fields (those the admin defined with scope `visitor`). */
  livechatData: Record<string, string>;
  ts: Date;
}

/** Who serves an omnichannel room (`servedBy`). */
export interface FakeServedBy {
  _id: string;
  username: string;
  ts: Date;
}

/** An omnichannel room (`IOmnichannelRoom`, `t: 'l'`). */
export interface FakeRoom {
  _id: string;
  t: 'l';
  fname: string;
  v: { _id: string; username: string; token: string; status: 'online' };
  departmentId?: string;
  servedBy?: FakeServedBy;
  open: boolean;
  ts: Date;
  lm?: Date;
  msgs: number;
  closedAt?: Date;
  closedBy?: { _id: string; username: string };
  closer?: 'user' | 'visitor';
  /** The comment of the close (`livechat/room.closeByUser`'s `comment`). */
  closingComment?: string;
}

/** The queue entry of a room waiting for an agent (`ILivechatInquiryRecord`). */
export interface FakeInquiry {
  _id: string;
  rid: string;
  department?: string;
  status: 'queued' | 'taken' | 'closed';
  ts: Date;
}

/** A message (`IMessage`): the visitor's carry its `token`, system messages a type `t`. */
export interface FakeMessage {
  _id: string;
  rid: string;
  msg: string;
  ts: Date;
  u: { _id: string; username: string; name?: string };
  /** The visitor token, on the visitor's messages. */
  token?: string;
  /** The type of a system message (`livechat_transfer_history`, `livechat-close`, `livechat-started`). */
  t?: string;
  transferData?: {
    transferredBy: { _id: string; username: string; name?: string; userType: 'user' | 'agent' | 'visitor' };
    scope: 'department' | 'agent' | 'queue';
    comment?: string;
    previousDepartment?: string;
    nextDepartment?: { _id: string; name: string };
    ts: Date;
  };
  /** Files, as Rocket.Chat's upload flow attaches them (`attachments[].title_link`). */
  attachments?: Array<{ title: string; title_link: string; type: 'file'; image_type?: string }>;
  editedAt?: Date;
}

/** An Omnichannel department (`ILivechatDepartment`) with its agents. */
export interface FakeDepartment {
  _id: string;
  name: string;
  enabled: boolean;
  showOnRegistration: boolean;
  showOnOfflineForm: boolean;
  email: string;
  description: string;
  /** The agents of the department (`rocketchat_livechat_department_agents`), by user id. */
  agentIds: string[];
  _updatedAt: Date;
}

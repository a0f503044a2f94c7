/** The records the fake Chatwoot keeps, shaped after the Chatwoot v4.15.1 tables they stand for (`db/schema.rb`). */

type FakeUserRole = 'administrator' | 'agent';

export interface FakeUser {
  id: number;
  name: string;
  email: string;
  role: FakeUserRole;
  accessToken: string;
  /** The availability the agent set (`account_users.availability`). */
  availability: 'online' | 'busy' | 'offline';
  /**
   * `account_users.auto_offline` (default true): the agent reads `offline` unless the dashboard is
   * open (`AvailabilityStatusable#user_availability_status`).
   */
  autoOffline: boolean;
  /** A dashboard is open: the presence ping of the last 20 s (`OnlineStatusTracker`). */
  present: boolean;
}

/** An account agent bot. Its token may call only the bot-accessible endpoints (`BOT_ACCESSIBLE_ENDPOINTS`). */
export interface FakeAgentBot {
  id: number;
  /** `agent_bots.account_id`: null for a bot of the whole installation (a platform app's, unless it named an account). */
  accountId: number | null;
  name: string | null;
  description: string | null;
  accessToken: string;
  /** Where Chatwoot POSTs the bot's webhooks (`outgoing_url`). */
  outgoingUrl: string | undefined;
  /** HMAC key of the bot's webhook signatures (the bot `secret`, not its access token). */
  secret: string;
}

export interface FakeTeam {
  id: number;
  accountId: number;
  /** Stored lowercased (`app/models/team.rb:30-32`), unique in the account. */
  name: string;
  /** `teams.description` (nullable text): null when none was given. */
  description: string | null;
  allowAutoAssign: boolean;
  /** The `team_members` rows' user ids, in the order they were added. */
  memberIds: number[];
  createdAt: Date;
  updatedAt: Date;
}

/** One day of an inbox's working hours (the `working_hours` table, one row per weekday). */
export interface FakeWorkingHours {
  /** 0 is Sunday. */
  dayOfWeek: number;
  closedAllDay: boolean;
  openAllDay: boolean;
  openHour: number | null;
  openMinutes: number | null;
  closeHour: number | null;
  closeMinutes: number | null;
}

/**
 * An account webhook (the `webhooks` table): one per URL and account (`validates :url,
 * uniqueness`), its deliveries signed with `secret` (4.11.2, `has_secure_token :secret`).
 */
export interface FakeAccountWebhook {
  id: number;
  name: string | null;
  url: string;
  subscriptions: string[];
  secret: string;
  inboxId: number | null;
}

/** An API-channel inbox ("Channel::Api"). */
export interface FakeInbox {
  id: number;
  channelId: number;
  accountId: number;
  name: string;
  /** HMAC key of the webhook signatures (the inbox `secret`, not `hmac_token`; 4.13.0). */
  secret: string;
  /** The identity-validation key of the channel (`hmac_token`), shown to administrators. */
  hmacToken: string;
  /** `channel_api.identifier`, the inbox id of the client API. */
  identifier: string;
  webhookUrl: string | undefined;
  enableAutoAssignment: boolean;
  lockToSingleConversation: boolean;
  /** Business hours: off by default; the rows exist either way (Mon-Fri 09:00-17:00). */
  workingHoursEnabled: boolean;
  /** IANA zone of the working hours. Default `UTC`. */
  timezone: string;
  workingHours: FakeWorkingHours[];
  /** The agent bot attached to the inbox (`agent_bot_inbox`, active), if any. */
  agentBotId: number | null;
  memberIds: number[];
  createdAt: Date;
  updatedAt: Date;
}

export interface FakeContactInbox {
  id: number;
  contactId: number;
  inboxId: number;
  sourceId: string;
  hmacVerified: boolean;
  pubsubToken: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface FakeContact {
  id: number;
  accountId: number;
  name: string | null;
  email: string | null;
  phoneNumber: string | null;
  identifier: string | null;
  blocked: boolean;
  customAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  contactInboxes: FakeContactInbox[];
  createdAt: Date;
  updatedAt: Date;
}

export type FakeConversationStatus = 'open' | 'resolved' | 'pending' | 'snoozed';

export type FakeMessageType = 'incoming' | 'outgoing' | 'activity' | 'template';

/** The integers REST answers carry for message types (webhooks carry the names). */
export const messageTypeNumbers: Record<FakeMessageType, number> = {
  incoming: 0,
  outgoing: 1,
  activity: 2,
  template: 3,
};

export type FakeMessageStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface FakeSender {
  type: 'user' | 'agent_bot' | 'contact';
  id: number;
}

export interface FakeAttachment {
  id: number;
  messageId: number;
  accountId: number;
  fileType: 'image' | 'audio' | 'video' | 'file';
  contentType: string;
  filename: string;
  /** The blob key in the download URLs. */
  key: string;
  dataUrl: string;
  thumbUrl: string;
  byteSize: number;
  data: Uint8Array;
}

export interface FakeMessage {
  id: number;
  conversationDisplayId: number;
  messageType: FakeMessageType;
  content: string | null;
  contentType: string;
  contentAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  private: boolean;
  sourceId: string | null;
  status: FakeMessageStatus;
  /** Null for activity and template messages. */
  sender: FakeSender | null;
  attachments: FakeAttachment[];
  createdAt: Date;
  updatedAt: Date;
}

export interface FakeConversation {
  /** The per-account display id, exposed as `id` everywhere (`conversations_controller.rb` finds by `display_id`). */
  displayId: number;
  uuid: string;
  accountId: number;
  inboxId: number;
  contactId: number;
  contactInboxId: number;
  status: FakeConversationStatus;
  snoozedUntil: Date | null;
  assigneeId: number | null;
  assigneeAgentBotId: number | null;
  teamId: number | null;
  priority: string | null;
  customAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  labels: string[];
  messages: FakeMessage[];
  firstReplyCreatedAt: Date | null;
  waitingSince: Date | null;
  lastActivityAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A notification Chatwoot would show an agent: `conversation_creation` (created open),
 * `bot_handoff` (a bot opened a pending conversation) or `assigned` (someone else assigned it).
 */
export interface FakeNotification {
  userId: number;
  conversationId: number;
  kind: 'conversation_creation' | 'bot_handoff' | 'assigned';
}

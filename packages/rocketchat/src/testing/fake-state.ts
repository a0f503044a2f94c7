import { canary, rocketChatId } from './fake-ids.js';
import type {
  FakeDepartment,
  FakeInquiry,
  FakeMessage,
  FakeRoom,
  FakeUser,
  FakeVisitor,
} from './fake-records.js';

/**
 * The workspace settings the fake follows, by Rocket.Chat's setting ids (Administration →
 * Settings → Omnichannel).
 */
export interface FakeWorkspaceSettings {
  Livechat_enabled: boolean;
  /** The fake routes as `Manual_Selection`: a new or forwarded room waits in the queue for an agent to take it. */
  Livechat_Routing_Method: 'Manual_Selection';
  /** New rooms go to a bot agent of the department (or any bot agent) first (hooks/beforeDelegateAgent.ts). */
  Livechat_assign_new_conversation_to_bot: boolean;
  /** Omnichannel → Webhooks: where the Livechat webhook goes; unset: nothing is sent. */
  Livechat_webhookUrl: string | undefined;
  /** Sent as `X-RocketChat-Livechat-Token`. */
  Livechat_secret_token: string;
  Livechat_webhook_on_start: boolean;
  Livechat_webhook_on_close: boolean;
  Livechat_webhook_on_chat_taken: boolean;
  Livechat_webhook_on_chat_queued: boolean;
  Livechat_webhook_on_forward: boolean;
  Livechat_webhook_on_agent_message: boolean;
  Livechat_webhook_on_visitor_message: boolean;
  /** `Message_MaxAllowedSize`: the longest message text `chat.sendMessage` accepts. */
  Message_MaxAllowedSize: number;
  /** A room is closed only with a comment (closeRoom: `error-comment-is-required`). Default on. */
  Livechat_request_comment_when_closing_conversation: boolean;
  /** Rooms are made while nobody is online (requestRoom: `no-agent-online` otherwise). Default off. */
  Livechat_accept_chats_with_no_agents: boolean;
}

/** Everything the fake keeps. */
export interface FakeState {
  settings: FakeWorkspaceSettings;
  /** The adapter's user (`livechat-manager`, external mode). */
  apiUser: FakeUser;
  /** The bot agent (`bot` + `livechat-agent`, internal mode). */
  botUser: FakeUser;
  users: FakeUser[];
  visitors: FakeVisitor[];
  rooms: FakeRoom[];
  inquiries: FakeInquiry[];
  messages: FakeMessage[];
  departments: FakeDepartment[];
  /** Omnichannel → Custom Fields (`rocketchat_livechat_custom_field`): id and scope. */
  customFields: Array<{ _id: string; scope: 'visitor' | 'room' }>;
  /** The counter behind visitor usernames (`guest-<n>`). */
  guestCount: number;
  now(): Date;
}

export interface FakeStateSettings {
  /** The department whose new rooms the bot agent serves (internal mode); none: external mode only. */
  botDepartment?: boolean;
  settings?: Partial<FakeWorkspaceSettings>;
}

const user = (username: string, name: string, roles: string[]): FakeUser => ({
  _id: rocketChatId(),
  username,
  name,
  roles,
  authToken: canary(`rc-token-${username}`),
  available: true,
  email: `${username}@example.com`,
});

const department = (name: string, agentIds: string[], now: Date): FakeDepartment => ({
  _id: rocketChatId(),
  name,
  enabled: true,
  showOnRegistration: true,
  showOnOfflineForm: true,
  email: '',
  description: '',
  agentIds,
  _updatedAt: now,
});

/**
 * A fresh workspace: the adapter's manager, a bot agent, two human agents each in their own
 * department (`Sales`, `Billing`), a disabled department, the `handoff_user_id` visitor custom
 * field, and (with `botDepartment`) a `Bot` department the bot agent serves.
 */
export function createFakeState(options: FakeStateSettings = {}): FakeState {
  const now = () => new Date();
  const apiUser = user('handoff.api', 'Handoff API', ['user', 'livechat-manager']);
  // `transfer-livechat-guest` is not the livechat-agent role's by default (permissions.ts): the
  // bot agent forwards with a custom role the admin gives it, as the package README says.
  const botUser = user('handoff.bot', 'Handoff Bot', ['bot', 'livechat-agent', 'handoff-bot-agent']);
  const ana = user('ana.agent', 'Ana Agent', ['user', 'livechat-agent']);
  const ben = user('ben.agent', 'Ben Agent', ['user', 'livechat-agent']);
  const created = now();
  const departments = [
    department('Sales', [ana._id], created),
    department('Billing', [ben._id], created),
    { ...department('Archive', [], created), enabled: false },
  ];
  if (options.botDepartment) departments.unshift(department('Bot', [botUser._id], created));
  return {
    settings: {
      Livechat_enabled: true,
      Livechat_Routing_Method: 'Manual_Selection',
      Livechat_assign_new_conversation_to_bot: options.botDepartment === true,
      Livechat_webhookUrl: undefined,
      Livechat_secret_token: canary('rc-livechat-secret'),
      Livechat_webhook_on_start: false,
      Livechat_webhook_on_close: true,
      Livechat_webhook_on_chat_taken: true,
      Livechat_webhook_on_chat_queued: false,
      Livechat_webhook_on_forward: true,
      Livechat_webhook_on_agent_message: true,
      Livechat_webhook_on_visitor_message: options.botDepartment === true,
      Message_MaxAllowedSize: 5000,
      Livechat_request_comment_when_closing_conversation: true,
      Livechat_accept_chats_with_no_agents: false,
      ...options.settings,
    },
    apiUser,
    botUser,
    users: [apiUser, botUser, ana, ben],
    visitors: [],
    rooms: [],
    inquiries: [],
    messages: [],
    departments,
    customFields: [{ _id: 'handoff_user_id', scope: 'visitor' }],
    guestCount: 0,
    now,
  };
}

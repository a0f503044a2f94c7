import type { FakeTokenOwner } from './fake-actor.js';
import {
  agentBotPushData,
  attachmentData,
  lastChatMessage,
  messagePushData,
  senderPushData,
  unreadCount,
} from './fake-push-data.js';
import {
  type FakeAgentBot,
  type FakeContact,
  type FakeContactInbox,
  type FakeConversation,
  type FakeInbox,
  type FakeMessage,
  type FakeTeam,
  type FakeUser,
  messageTypeNumbers,
} from './fake-records.js';
import { contactOf, type FakeState, findAgentBot, findTeam, findUser } from './fake-state.js';
import { epochFloat, epochSeconds, isoTime, isoTimeOrNull } from './fake-time.js';

/** The JSON the Application API answers with (Chatwoot's jbuilder views; notes §1). */

/** The inbox inside `contact_inboxes[]` and the contact_inboxes create answer. */
function inboxSlimView(inbox: FakeInbox) {
  return {
    id: inbox.id,
    avatar_url: '',
    channel_id: inbox.channelId,
    name: inbox.name,
    channel_type: 'Channel::Api',
    provider: null,
  };
}

/** The whole inbox row, as `contact_inbox.inbox` of a contact create answer (notes §1.2). */
export function inboxRecordView(inbox: FakeInbox) {
  return {
    id: inbox.id,
    channel_id: inbox.channelId,
    account_id: inbox.accountId,
    name: inbox.name,
    created_at: isoTime(inbox.createdAt),
    updated_at: isoTime(inbox.updatedAt),
    channel_type: 'Channel::Api',
    enable_auto_assignment: inbox.enableAutoAssignment,
    greeting_enabled: false,
    greeting_message: null,
    email_address: null,
    working_hours_enabled: inbox.workingHoursEnabled,
    out_of_office_message: null,
    timezone: inbox.timezone,
    enable_email_collect: true,
    csat_survey_enabled: false,
    allow_messages_after_resolved: true,
    auto_assignment_config: {},
    lock_to_single_conversation: inbox.lockToSingleConversation,
    portal_id: null,
    sender_name_type: 'friendly',
    business_name: null,
    csat_config: {},
  };
}

/** `GET /inboxes/{id}` (the inbox jbuilder): the record plus its working hours and channel fields. */
export function inboxView(inbox: FakeInbox) {
  return {
    ...inboxRecordView(inbox),
    avatar_url: '',
    channel_type: 'Channel::Api',
    webhook_url: inbox.webhookUrl ?? '',
    working_hours: inbox.workingHours.map((day) => ({
      day_of_week: day.dayOfWeek,
      closed_all_day: day.closedAllDay,
      open_hour: day.openHour,
      open_minutes: day.openMinutes,
      close_hour: day.closeHour,
      close_minutes: day.closeMinutes,
      open_all_day: day.openAllDay,
    })),
  };
}

export function contactInboxView(state: FakeState, contactInbox: FakeContactInbox) {
  return { source_id: contactInbox.sourceId, inbox: inboxSlimView(state.inbox) };
}

export function contactView(
  state: FakeState,
  contact: FakeContact,
  options: { withContactInboxes: boolean },
) {
  return {
    additional_attributes: contact.additionalAttributes,
    availability_status: 'offline',
    email: contact.email,
    id: contact.id,
    name: contact.name,
    phone_number: contact.phoneNumber,
    blocked: contact.blocked,
    identifier: contact.identifier,
    thumbnail: '',
    custom_attributes: contact.customAttributes,
    created_at: epochSeconds(contact.createdAt),
    ...(options.withContactInboxes
      ? { contact_inboxes: contact.contactInboxes.map((item) => contactInboxView(state, item)) }
      : {}),
  };
}

export function agentView(state: FakeState, user: FakeUser) {
  return {
    id: user.id,
    account_id: state.account.id,
    availability_status: user.availability,
    auto_offline: true,
    confirmed: true,
    email: user.email,
    available_name: user.name,
    name: user.name,
    role: user.role,
    thumbnail: '',
    custom_role_id: null,
  };
}

export function agentBotView(state: FakeState, bot: FakeAgentBot) {
  return {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    thumbnail: '',
    outgoing_url: bot.outgoingUrl ?? null,
    bot_type: 'webhook',
    bot_config: {},
    account_id: state.account.id,
    system_bot: false,
  };
}

/** A team in `GET /teams`: `is_member` is about the caller. */
export function teamView(team: FakeTeam, viewer: FakeTokenOwner) {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    allow_auto_assign: team.allowAutoAssign,
    account_id: team.accountId,
    is_member: viewer.kind === 'user' && team.memberIds.includes(viewer.user.id),
  };
}

/** The raw Team record the assignments endpoint renders (notes §1.3). */
export function teamRecordView(team: FakeTeam) {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    allow_auto_assign: team.allowAutoAssign,
    account_id: team.accountId,
    created_at: isoTime(team.createdAt),
    updated_at: isoTime(team.updatedAt),
  };
}

/** A message as `POST …/messages` and `GET …/messages` answer: integer message_type, epoch created_at. */
export function messageView(state: FakeState, conversation: FakeConversation, message: FakeMessage) {
  const sender = senderPushData(state, message.sender);
  return {
    id: message.id,
    content: message.content,
    inbox_id: conversation.inboxId,
    ...(message.echoId === null ? {} : { echo_id: message.echoId }),
    conversation_id: conversation.displayId,
    message_type: messageTypeNumbers[message.messageType],
    content_type: message.contentType,
    status: message.status,
    content_attributes: message.contentAttributes,
    created_at: epochSeconds(message.createdAt),
    private: message.private,
    source_id: message.sourceId,
    ...(sender === undefined ? {} : { sender }),
    ...(message.attachments.length === 0 ? {} : { attachments: message.attachments.map(attachmentData) }),
  };
}

/** The conversation partial (notes §1.3): `meta.assignee`/`team` only when set. */
export function conversationView(state: FakeState, conversation: FakeConversation, viewer: FakeTokenOwner) {
  const contact = contactOf(state, conversation);
  const assignee = findUser(state, conversation.assigneeId);
  const assignedBot = findAgentBot(state, conversation.assigneeAgentBotId);
  const team = findTeam(state, conversation.teamId);
  const last = conversation.messages.at(-1);
  const lastChat = lastChatMessage(conversation);
  return {
    meta: {
      sender: contactView(state, contact, { withContactInboxes: false }),
      channel: 'Channel::Api',
      ...(assignedBot !== undefined
        ? { assignee: agentBotPushData(assignedBot), assignee_type: 'AgentBot' }
        : assignee !== undefined
          ? { assignee: agentView(state, assignee), assignee_type: 'User' }
          : {}),
      ...(team === undefined ? {} : { team: teamView(team, viewer) }),
      hmac_verified: false,
    },
    id: conversation.displayId,
    messages: last === undefined ? [] : [messagePushData(state, conversation, last)],
    account_id: conversation.accountId,
    uuid: conversation.uuid,
    additional_attributes: conversation.additionalAttributes,
    agent_last_seen_at: 0,
    assignee_last_seen_at: 0,
    can_reply: true,
    contact_last_seen_at: 0,
    custom_attributes: conversation.customAttributes,
    inbox_id: conversation.inboxId,
    labels: conversation.labels,
    muted: false,
    snoozed_until: isoTimeOrNull(conversation.snoozedUntil),
    status: conversation.status,
    created_at: epochSeconds(conversation.createdAt),
    updated_at: epochFloat(conversation.updatedAt),
    timestamp: epochSeconds(conversation.lastActivityAt),
    first_reply_created_at:
      conversation.firstReplyCreatedAt === null ? 0 : epochSeconds(conversation.firstReplyCreatedAt),
    unread_count: unreadCount(conversation),
    last_non_activity_message: lastChat === undefined ? null : messagePushData(state, conversation, lastChat),
    last_activity_at: epochSeconds(conversation.lastActivityAt),
    priority: conversation.priority,
    waiting_since: conversation.waitingSince === null ? 0 : epochSeconds(conversation.waitingSince),
    sla_policy_id: null,
  };
}

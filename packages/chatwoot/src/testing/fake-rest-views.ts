import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';
import type { FakeTokenOwner } from './fake-actor.js';
import { chatwootErrors } from './fake-errors.js';
import { attachmentData, messagePushData, senderPushData, unreadCount } from './fake-push-data.js';
import {
  type FakeAccountWebhook,
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
import {
  availabilityStatus,
  contactInboxOf,
  contactOf,
  type FakeState,
  findAgentBot,
  findTeam,
  findUser,
} from './fake-state.js';
import { epochFloat, epochSeconds, isoTime, isoTimeOrNull } from './fake-time.js';

/** The JSON the Application API answers with (Chatwoot's jbuilder views under `app/views/api/v1`). */

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

/** The whole inbox row, as `contact_inbox.inbox` of a contact create answer (`contacts/create.json.jbuilder` renders the `Inbox` model as is). */
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

/**
 * `GET /inboxes/{id}` (`app/views/api/v1/models/_inbox.json.jbuilder`) for an API inbox: the common
 * keys, the web-widget keys (null here), and the API channel's: `hmac_token` and the webhook
 * `secret` (4.13.0) only for administrators, `webhook_url` (null when unset), `inbox_identifier`.
 */
export function inboxView(state: FakeState, inbox: FakeInbox, viewer: FakeTokenOwner) {
  const administrator = viewer.kind === 'user' && viewer.user.role === 'administrator';
  return {
    id: inbox.id,
    avatar_url: '',
    channel_id: inbox.channelId,
    name: inbox.name,
    channel_type: 'Channel::Api',
    greeting_enabled: false,
    greeting_message: null,
    working_hours_enabled: inbox.workingHoursEnabled,
    enable_email_collect: true,
    csat_survey_enabled: false,
    csat_config: {},
    enable_auto_assignment: inbox.enableAutoAssignment,
    auto_assignment_config: {},
    out_of_office_message: null,
    working_hours: inbox.workingHours.map((day) => ({
      day_of_week: day.dayOfWeek,
      closed_all_day: day.closedAllDay,
      open_hour: day.openHour,
      open_minutes: day.openMinutes,
      close_hour: day.closeHour,
      close_minutes: day.closeMinutes,
      open_all_day: day.openAllDay,
    })),
    timezone: inbox.timezone,
    callback_webhook_url: null,
    allow_messages_after_resolved: true,
    lock_to_single_conversation: inbox.lockToSingleConversation,
    sender_name_type: 'friendly',
    business_name: null,
    allowed_domains: null,
    widget_color: null,
    website_url: null,
    hmac_mandatory: false,
    welcome_title: null,
    welcome_tagline: null,
    web_widget_script: null,
    website_token: null,
    selected_feature_flags: null,
    reply_time: null,
    messaging_service_sid: null,
    phone_number: null,
    ...(administrator ? { hmac_token: inbox.hmacToken } : {}),
    ...(administrator && state.behaviours.inboxWebhooksSigned ? { secret: inbox.secret } : {}),
    webhook_url: inbox.webhookUrl ?? null,
    inbox_identifier: inbox.identifier,
    additional_attributes: {},
    provider: null,
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
    availability_status: availabilityStatus(user),
    auto_offline: user.autoOffline,
    confirmed: true,
    email: user.email,
    provider: 'email',
    available_name: user.name,
    name: user.name,
    role: user.role,
    thumbnail: '',
    custom_role_id: null,
  };
}

/**
 * `GET /api/v1/profile` (`api/v1/models/_user.json.jbuilder`, Community edition): the user, their
 * own access token, and each account they belong to (`user.account_users`) with their role and
 * availability there. `account_id` and `role` are those of the user's first membership here (null
 * without any). `hmac_identifier` only when `CHATWOOT_INBOX_HMAC_KEY` is set (not in the fake);
 * `type` is nil but for super admins.
 */
export function profileView(accounts: readonly FakeState[], user: FakeUser) {
  const memberships = accounts.flatMap((state) => {
    const member = state.users.find((candidate) => candidate.id === user.id);
    return member === undefined ? [] : [{ state, member }];
  });
  const first = memberships[0];
  return {
    access_token: user.accessToken,
    account_id: first?.state.account.id ?? null,
    available_name: user.name,
    avatar_url: '',
    confirmed: true,
    display_name: null,
    message_signature: null,
    email: user.email,
    id: user.id,
    inviter_id: null,
    name: user.name,
    provider: 'email',
    pubsub_token: `pubsub-${user.id}`,
    role: first?.member.role ?? null,
    ui_settings: {},
    uid: user.email,
    type: null,
    accounts: memberships.map(({ state, member }) => ({
      id: state.account.id,
      name: state.account.name,
      status: state.account.status,
      onboarding_step: null,
      active_at: null,
      role: member.role,
      permissions: [member.role],
      availability: member.availability,
      availability_status: availabilityStatus(member),
      auto_offline: member.autoOffline,
    })),
  };
}

/** `webhooks/_webhook.json.jbuilder`: `secret` from 4.11.2; `inbox` only when the webhook has one. */
export function webhookView(state: FakeState, webhook: FakeAccountWebhook) {
  return {
    id: webhook.id,
    name: webhook.name,
    url: webhook.url,
    account_id: state.account.id,
    subscriptions: webhook.subscriptions,
    ...(state.behaviours.accountWebhooksSigned ? { secret: webhook.secret } : {}),
    ...(webhook.inboxId === state.inbox.id ? { inbox: { id: state.inbox.id, name: state.inbox.name } } : {}),
  };
}

/** `_agent_bot_slim.json.jbuilder`: the bot as a conversation's assignee and in assignment answers. */
export function agentBotSlimView(bot: FakeAgentBot) {
  return {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    thumbnail: '',
    outgoing_url: bot.outgoingUrl ?? null,
    bot_type: 'webhook',
  };
}

/**
 * `_agent_bot.json.jbuilder`: its access token for whoever may see the bot, its webhook `secret`
 * (4.13.0) only for administrators.
 */
export function agentBotView(state: FakeState, bot: FakeAgentBot, viewer?: FakeTokenOwner) {
  const administrator = viewer?.kind === 'user' && viewer.user.role === 'administrator';
  return {
    ...agentBotSlimView(bot),
    bot_config: {},
    account_id: bot.accountId,
    access_token: bot.accessToken,
    ...(administrator && state.behaviours.agentBotWebhooksSigned ? { secret: bot.secret } : {}),
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

/** The raw Team record the assignments endpoint renders (`Conversations::AssignmentsController#set_team`: `render json: @team`). */
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

/**
 * A message as `POST …/messages` and `GET …/messages` answer (`_message.json.jbuilder`): integer
 * message_type, epoch created_at; `echo_id` only on the create answer (it is not stored).
 */
export function messageView(
  state: FakeState,
  conversation: FakeConversation,
  message: FakeMessage,
  options: { echoId?: string | undefined } = {},
) {
  const sender = senderPushData(state, message.sender);
  return {
    id: message.id,
    content: message.content,
    inbox_id: conversation.inboxId,
    ...(options.echoId === undefined ? {} : { echo_id: options.echoId }),
    conversation_id: conversation.displayId,
    message_type: messageTypeNumbers[message.messageType],
    content_type: message.contentType,
    status: message.status,
    content_attributes: message.contentAttributes,
    created_at: epochSeconds(message.createdAt),
    private: message.private,
    source_id: message.sourceId,
    ...(sender === undefined ? {} : { sender }),
    ...(message.attachments.length === 0
      ? {}
      : {
          attachments: message.attachments.map((attachment) => attachmentData(attachment, state.behaviours)),
        }),
  };
}

/**
 * The conversation partial (`app/views/api/v1/conversations/partials/_conversation.json.jbuilder`)
 * as an answer: `meta.assignee`/`team` only when set. With a bot token and a team it fails: the
 * team partial calls `Current.user.teams`, which an `AgentBot` lacks, and Rails answers 500 (every
 * release through 4.15.1).
 */
export function conversationAnswer(
  state: FakeState,
  conversation: FakeConversation,
  viewer: FakeTokenOwner,
): FakeHttpResponse {
  if (
    viewer.kind === 'bot' &&
    conversation.teamId !== null &&
    state.behaviours.botReadOfTeamConversationFails
  )
    return chatwootErrors.serverError();
  return jsonResponse(200, conversationView(state, conversation, viewer));
}

/** The conversation partial, for lists and answers that cannot fail. */
export function conversationView(state: FakeState, conversation: FakeConversation, viewer: FakeTokenOwner) {
  const contact = contactOf(state, conversation);
  const assignee = findUser(state, conversation.assigneeId);
  const assignedBot = findAgentBot(state, conversation.assigneeAgentBotId);
  const team = findTeam(state, conversation.teamId);
  const last = conversation.messages.at(-1);
  // `non_activity_messages.first` (newest first): private notes and templates included.
  const lastChat = conversation.messages.findLast((message) => message.messageType !== 'activity');
  return {
    meta: {
      sender: contactView(state, contact, { withContactInboxes: false }),
      channel: 'Channel::Api',
      ...(assignedBot !== undefined
        ? { assignee: agentBotSlimView(assignedBot), assignee_type: 'AgentBot' }
        : assignee !== undefined
          ? { assignee: agentView(state, assignee), assignee_type: 'User' }
          : {}),
      ...(team === undefined ? {} : { team: teamView(team, viewer) }),
      hmac_verified: contactInboxOf(state, conversation).hmacVerified,
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

import { webhookContent } from '../webhook/webhook-content.js';
import type { FakeTokenOwner } from './fake-actor.js';
import {
  agentBotPushData,
  attachmentData,
  contactPushData,
  lastChatMessage,
  messagePushData,
  unreadCount,
  userPushData,
} from './fake-push-data.js';
import type { FakeContact, FakeConversation, FakeMessage, FakeSender } from './fake-records.js';
import {
  contactInboxOf,
  contactOf,
  type FakeState,
  findAgentBot,
  findContact,
  findTeam,
  findUser,
} from './fake-state.js';
import { epochFloat, epochSeconds, isoTime, isoTimeOrNull } from './fake-time.js';

/**
 * Webhook bodies as an API inbox's `webhook_url` receives them: `Message#webhook_data`,
 * `Conversations::EventDataPresenter#webhook_data` (`app/presenters/conversations/`), and the
 * typing payload of `app/listeners/webhook_listener.rb`.
 */

export type ConversationEvent =
  | 'conversation_created'
  | 'conversation_status_changed'
  | 'conversation_updated';
export type MessageEvent = 'message_created' | 'message_updated';

/** One entry per changed column: `{"status": {previous_value, current_value}}`. */
export type ChangedAttributes = Array<Record<string, { previous_value: unknown; current_value: unknown }>>;

const accountData = (state: FakeState) => ({ id: state.account.id, name: state.account.name });

/** A contact sender in message events (`Contact#webhook_data`): no `type` key. */
function contactWebhookData(state: FakeState, contact: FakeContact) {
  return {
    account: accountData(state),
    additional_attributes: contact.additionalAttributes,
    avatar: '',
    custom_attributes: contact.customAttributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: '',
    blocked: contact.blocked,
  };
}

/** `sender.webhook_data`: user `{id,name,email,type:"user"}`, bot `{id,name,type:"agent_bot"}`. */
function senderWebhookData(state: FakeState, sender: FakeSender | null) {
  if (sender === null) return null;
  switch (sender.type) {
    case 'user': {
      const user = findUser(state, sender.id);
      return user === undefined ? null : { id: user.id, name: user.name, email: user.email, type: 'user' };
    }
    case 'agent_bot': {
      const bot = findAgentBot(state, sender.id);
      return bot === undefined ? null : { id: bot.id, name: bot.name, type: 'agent_bot' };
    }
    case 'contact': {
      const contact = findContact(state, sender.id);
      return contact === undefined ? null : contactWebhookData(state, contact);
    }
  }
}

const tokenOwnerSender = (owner: FakeTokenOwner): FakeSender =>
  owner.kind === 'user' ? { type: 'user', id: owner.user.id } : { type: 'agent_bot', id: owner.bot.id };

/** `Message#webhook_push_event_data`: the push data with the content normalised as webhooks do. */
function webhookPushData(state: FakeState, conversation: FakeConversation, message: FakeMessage) {
  const data = messagePushData(state, conversation, message);
  const content = message.content === null ? null : webhookContent(message.content, state.behaviours);
  return { ...data, content, processed_message_content: content };
}

/**
 * The conversation object: top level of conversation events, `conversation` of the others;
 * `account` from 4.14.2. `messages` holds the last message of the `chat` scope.
 */
function conversationWebhookData(state: FakeState, conversation: FakeConversation) {
  const contactInbox = contactInboxOf(state, conversation);
  const assignee = findUser(state, conversation.assigneeId);
  const assignedBot = findAgentBot(state, conversation.assigneeAgentBotId);
  const team = findTeam(state, conversation.teamId);
  const last = lastChatMessage(conversation);
  return {
    additional_attributes: conversation.additionalAttributes,
    can_reply: true,
    channel: 'Channel::Api',
    contact_inbox: {
      id: contactInbox.id,
      contact_id: contactInbox.contactId,
      inbox_id: contactInbox.inboxId,
      source_id: contactInbox.sourceId,
      created_at: isoTime(contactInbox.createdAt),
      updated_at: isoTime(contactInbox.updatedAt),
      hmac_verified: contactInbox.hmacVerified,
      pubsub_token: contactInbox.pubsubToken,
    },
    id: conversation.displayId,
    inbox_id: conversation.inboxId,
    // `webhook_push_event_data`: the push data with the content normalised as webhooks do.
    messages: last === undefined ? [] : [webhookPushData(state, conversation, last)],
    labels: conversation.labels,
    meta: {
      sender: contactPushData(contactOf(state, conversation)),
      assignee:
        assignedBot !== undefined
          ? agentBotPushData(assignedBot)
          : assignee !== undefined
            ? userPushData(assignee)
            : null,
      assignee_type: assignedBot !== undefined ? 'AgentBot' : assignee !== undefined ? 'User' : null,
      team: team === undefined ? null : { id: team.id, name: team.name },
      hmac_verified: contactInbox.hmacVerified,
    },
    status: conversation.status,
    custom_attributes: conversation.customAttributes,
    snoozed_until: isoTimeOrNull(conversation.snoozedUntil),
    unread_count: unreadCount(conversation),
    first_reply_created_at: isoTimeOrNull(conversation.firstReplyCreatedAt),
    priority: conversation.priority,
    waiting_since: conversation.waitingSince === null ? 0 : epochSeconds(conversation.waitingSince),
    agent_last_seen_at: 0,
    contact_last_seen_at: 0,
    last_activity_at: epochSeconds(conversation.lastActivityAt),
    timestamp: epochSeconds(conversation.lastActivityAt),
    created_at: epochSeconds(conversation.createdAt),
    updated_at: epochFloat(conversation.updatedAt),
    ...(state.behaviours.accountInConversationPayloads ? { account: accountData(state) } : {}),
  };
}

/**
 * conversation_created / conversation_status_changed / conversation_updated. The status event
 * carries `changed_attributes: null` (`notify_status_change` passes `status_change`, Rails' dirty
 * value, already gone after the save); the updated event carries one entry per changed column,
 * captured at the commit (`BaseListener#extract_changed_attributes`).
 */
export function conversationEventPayload(
  state: FakeState,
  conversation: FakeConversation,
  event: ConversationEvent,
  changedAttributes?: ChangedAttributes,
) {
  const data = conversationWebhookData(state, conversation);
  switch (event) {
    case 'conversation_created':
      return { ...data, event };
    case 'conversation_status_changed':
      return { ...data, event, changed_attributes: null };
    case 'conversation_updated':
      return { ...data, event, changed_attributes: changedAttributes ?? [] };
  }
}

/**
 * message_created / message_updated (`Message#webhook_data`): STRING message_type, ISO created_at,
 * `content` normalised (`Messages::WebhookContentNormalizer`).
 */
export function messageEventPayload(
  state: FakeState,
  conversation: FakeConversation,
  message: FakeMessage,
  event: MessageEvent,
) {
  return {
    event,
    id: message.id,
    content: message.content === null ? null : webhookContent(message.content, state.behaviours),
    content_type: message.contentType,
    content_attributes: message.contentAttributes,
    additional_attributes: message.additionalAttributes,
    message_type: message.messageType,
    private: message.private,
    source_id: message.sourceId,
    created_at: isoTime(message.createdAt),
    sender: senderWebhookData(state, message.sender),
    inbox: { id: state.inbox.id, name: state.inbox.name },
    account: accountData(state),
    ...(message.attachments.length === 0
      ? {}
      : {
          attachments: message.attachments.map((attachment) => attachmentData(attachment, state.behaviours)),
        }),
    conversation: conversationWebhookData(state, conversation),
  };
}

export function typingEventPayload(
  state: FakeState,
  conversation: FakeConversation,
  owner: FakeTokenOwner,
  typing: boolean,
  isPrivate: unknown,
) {
  return {
    event: typing ? 'conversation_typing_on' : 'conversation_typing_off',
    user: senderWebhookData(state, tokenOwnerSender(owner)),
    conversation: conversationWebhookData(state, conversation),
    is_private: isPrivate,
  };
}

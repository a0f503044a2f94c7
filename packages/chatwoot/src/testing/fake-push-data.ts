import type { ChatwootBehaviours } from '../chatwoot-versions.js';
import {
  type FakeAgentBot,
  type FakeAttachment,
  type FakeContact,
  type FakeConversation,
  type FakeMessage,
  type FakeSender,
  type FakeUser,
  messageTypeNumbers,
} from './fake-records.js';
import {
  availabilityStatus,
  contactInboxOf,
  type FakeState,
  findAgentBot,
  findContact,
  findUser,
} from './fake-state.js';
import { epochSeconds, isoTime } from './fake-time.js';

/**
 * The `push_event_data` shapes (`app/models/user.rb`, `agent_bot.rb`, `contact.rb`, `message.rb`,
 * `attachment.rb`): what Chatwoot puts in REST message senders, conversation `meta` and the
 * `messages[]` of a conversation (integer message_type, epoch created_at).
 */

export function userPushData(user: FakeUser) {
  return {
    id: user.id,
    name: user.name,
    available_name: user.name,
    avatar_url: '',
    type: 'user',
    availability_status: availabilityStatus(user),
    thumbnail: '',
  };
}

export function agentBotPushData(bot: FakeAgentBot) {
  return { id: bot.id, name: bot.name, avatar_url: '', type: 'agent_bot' };
}

export function contactPushData(contact: FakeContact) {
  return {
    additional_attributes: contact.additionalAttributes,
    custom_attributes: contact.customAttributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: '',
    blocked: contact.blocked,
    type: 'contact',
  };
}

export function senderPushData(state: FakeState, sender: FakeSender | null) {
  if (sender === null) return undefined;
  switch (sender.type) {
    case 'user': {
      const user = findUser(state, sender.id);
      return user === undefined ? undefined : userPushData(user);
    }
    case 'agent_bot': {
      const bot = findAgentBot(state, sender.id);
      return bot === undefined ? undefined : agentBotPushData(bot);
    }
    case 'contact': {
      const contact = findContact(state, sender.id);
      return contact === undefined ? undefined : contactPushData(contact);
    }
  }
}

const senderTypeNames: Record<FakeSender['type'], string> = {
  user: 'User',
  agent_bot: 'AgentBot',
  contact: 'Contact',
};

/** `File.extname(filename)` without the dot, or null (`Attachment#set_extension`, 4.13.0). */
function extensionOf(filename: string): string | null {
  const dot = filename.lastIndexOf('.');
  return dot <= 0 || dot === filename.length - 1 ? null : filename.slice(dot + 1);
}

/**
 * An attachment as messages carry it, in REST answers and webhooks alike
 * (`Attachment#push_event_data` → `file_metadata`): `content_type` and a filled `extension` from
 * 4.13.0; `width`/`height` come from blob analysis that runs later, so a fresh upload has none.
 */
export function attachmentData(attachment: FakeAttachment, behaviours: ChatwootBehaviours) {
  return {
    id: attachment.id,
    message_id: attachment.messageId,
    file_type: attachment.fileType,
    account_id: attachment.accountId,
    extension: behaviours.attachmentContentType ? extensionOf(attachment.filename) : null,
    ...(behaviours.attachmentContentType ? { content_type: attachment.contentType } : {}),
    data_url: attachment.dataUrl,
    thumb_url: attachment.thumbUrl,
    file_size: attachment.byteSize,
    width: null,
    height: null,
  };
}

/**
 * `Message#push_event_data`: the message row, its conversation summary and its sender (an agent
 * bot with the inbox's avatar as fallback, `merge_sender_attributes`). `echo_id` is not stored,
 * so it never appears here.
 */
export function messagePushData(state: FakeState, conversation: FakeConversation, message: FakeMessage) {
  const sender = senderPushData(state, message.sender);
  return {
    id: message.id,
    content: message.content,
    account_id: conversation.accountId,
    inbox_id: conversation.inboxId,
    conversation_id: conversation.displayId,
    message_type: messageTypeNumbers[message.messageType],
    created_at: epochSeconds(message.createdAt),
    updated_at: isoTime(message.updatedAt),
    private: message.private,
    status: message.status,
    source_id: message.sourceId,
    content_type: message.contentType,
    content_attributes: message.contentAttributes,
    sender_type: message.sender === null ? null : senderTypeNames[message.sender.type],
    sender_id: message.sender === null ? null : message.sender.id,
    external_source_ids: {},
    additional_attributes: message.additionalAttributes,
    processed_message_content: message.content,
    sentiment: {},
    conversation: {
      assignee_id: conversation.assigneeId,
      unread_count: unreadCount(conversation),
      last_activity_at: epochSeconds(conversation.lastActivityAt),
      contact_inbox: { source_id: contactInboxOf(state, conversation).sourceId },
    },
    ...(message.attachments.length === 0
      ? {}
      : {
          attachments: message.attachments.map((attachment) => attachmentData(attachment, state.behaviours)),
        }),
    ...(sender === undefined ? {} : { sender }),
  };
}

/**
 * Incoming messages no agent has seen (`unread_incoming_messages`, `.last(10)`: at most 10); the
 * fake never marks anything seen.
 */
export const unreadCount = (conversation: FakeConversation): number =>
  Math.min(10, conversation.messages.filter((message) => message.messageType === 'incoming').length);

/** The last message of the `chat` scope (`message.rb`: not an activity line, not private). */
export function lastChatMessage(conversation: FakeConversation): FakeMessage | undefined {
  return conversation.messages.findLast((message) => message.messageType !== 'activity' && !message.private);
}

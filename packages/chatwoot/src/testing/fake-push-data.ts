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
import { contactInboxOf, type FakeState, findAgentBot, findContact, findUser } from './fake-state.js';
import { epochSeconds, isoTime } from './fake-time.js';

/**
 * The `push_event_data` shapes: what Chatwoot puts in REST message senders, conversation `meta`
 * and the `messages[]` of a conversation (integer message_type, epoch created_at; notes §3.4).
 */

export function userPushData(user: FakeUser) {
  return {
    id: user.id,
    name: user.name,
    available_name: user.name,
    avatar_url: '',
    type: 'user',
    availability_status: user.availability,
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

/** An attachment as messages carry it, in REST answers and webhooks alike. */
export function attachmentData(attachment: FakeAttachment) {
  return {
    id: attachment.id,
    message_id: attachment.messageId,
    file_type: attachment.fileType,
    account_id: attachment.accountId,
    extension: null,
    content_type: attachment.contentType,
    data_url: attachment.dataUrl,
    thumb_url: attachment.thumbUrl,
    file_size: attachment.byteSize,
    // Chatwoot reads these from blob metadata analysed later; a fresh upload has none.
    width: null,
    height: null,
  };
}

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
    ...(message.echoId === null ? {} : { echo_id: message.echoId }),
    ...(message.attachments.length === 0 ? {} : { attachments: message.attachments.map(attachmentData) }),
    ...(sender === undefined ? {} : { sender }),
  };
}

/** Incoming messages no agent has seen: the fake never marks anything seen, so all of them. */
export const unreadCount = (conversation: FakeConversation): number =>
  conversation.messages.filter((message) => message.messageType === 'incoming').length;

/** The last incoming or outgoing message (`messages.chat.last`). */
export function lastChatMessage(conversation: FakeConversation): FakeMessage | undefined {
  return conversation.messages.findLast(
    (message) => message.messageType === 'incoming' || message.messageType === 'outgoing',
  );
}

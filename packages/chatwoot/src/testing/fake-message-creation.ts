import { systemActor } from './fake-actor.js';
import type { FakeContext } from './fake-context.js';
import { updateConversation } from './fake-conversation-updates.js';
import { findMessage, messagesInLastMinute, type NewMessage, storeMessage } from './fake-message-store.js';
import type { FakeConversation, FakeMessage } from './fake-records.js';
import { inboxHasActiveBot } from './fake-state.js';
import { messageEventPayload } from './fake-webhook-payloads.js';

/** `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT` (notes §5). */
const messagesPerMinuteLimit = 200;
const maxContentLength = 150_000;
const maxAttachments = 15;

/**
 * The model validations a new message must pass; Chatwoot's messages controller renders them as
 * `{"error":"Validation failed: …"}` (notes §5). The texts other than "Too many messages" are
 * Rails' standard wording. *(inference)*
 */
export function messageValidationError(
  context: FakeContext,
  conversation: FakeConversation,
  input: NewMessage,
): string | undefined {
  const problems: string[] = [];
  if ((input.content ?? '').length > maxContentLength) {
    problems.push(`Content is too long (maximum is ${maxContentLength} characters)`);
  }
  if ((input.files ?? []).length > maxAttachments) {
    problems.push(`Attachments is too long (maximum is ${maxAttachments} attachments)`);
  }
  if (messagesInLastMinute(context, conversation) >= messagesPerMinuteLimit)
    problems.push('Too many messages');
  return problems.length === 0 ? undefined : `Validation failed: ${problems.join(', ')}`;
}

/**
 * Creates a message as `Messages::MessageBuilder` does, after validation: an incoming message
 * reopens a resolved or snoozed conversation (API inbox → open, notes §7.2; pending with an
 * active agent bot, notes §4) before
 * message_created goes out. Every message except activity lines becomes a webhook, private notes
 * and the poster's own messages included (notes §3.1).
 */
export function postMessage(
  context: FakeContext,
  conversation: FakeConversation,
  input: NewMessage,
): FakeMessage {
  const message = storeMessage(context, conversation, input);
  if (
    message.messageType === 'incoming' &&
    (conversation.status === 'resolved' || conversation.status === 'snoozed')
  ) {
    // With an active agent bot the conversation goes back to the bot (pending), not to the agents.
    const status = inboxHasActiveBot(context.state) ? 'pending' : 'open';
    updateConversation(context, conversation, { status }, systemActor);
  }
  if (message.messageType !== 'activity') {
    context.webhooks.emit(messageEventPayload(context.state, conversation, message, 'message_created'), {
      messageId: message.id,
    });
  }
  return message;
}

/**
 * The API inbox URL refused a message event: Chatwoot marks the message failed, keeps the reason in
 * `content_attributes.external_error` and announces it with message_updated (notes §3.2).
 */
export function markMessageFailed(context: FakeContext, messageId: number, error: string): void {
  const found = findMessage(context, messageId);
  if (found === undefined || found.message.status === 'failed') return;
  const { conversation, message } = found;
  message.status = 'failed';
  message.contentAttributes = { ...message.contentAttributes, external_error: error };
  message.updatedAt = context.now();
  context.webhooks.emit(messageEventPayload(context.state, conversation, message, 'message_updated'), {
    messageId: message.id,
  });
}

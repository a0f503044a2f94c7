import { type FakeActor, systemActor } from './fake-actor.js';
import type { FakeContext } from './fake-context.js';
import { emitConversationEvent, updateConversation } from './fake-conversation-updates.js';
import {
  addActivityMessage,
  findMessage,
  messagesInLastMinute,
  type NewMessage,
  storeMessage,
} from './fake-message-store.js';
import type { FakeConversation, FakeMessage } from './fake-records.js';
import { contactOf, inboxHasActiveBot } from './fake-state.js';
import { isoTime } from './fake-time.js';
import { messageEventPayload } from './fake-webhook-payloads.js';

/** `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT` (`lib/limits.rb`, default 200). */
const messagesPerMinuteLimit = 200;
/** `validates :content, length: { maximum: 150_000 }` (`app/models/message.rb`). */
const maxContentLength = 150_000;

/** Ruby's `String#length`: Unicode code points, not UTF-16 units. */
const codePointLength = (text: string): number => {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
};

/**
 * The model validations a new message must pass, in Chatwoot's order (`prevent_message_flooding`
 * runs before validation, then the content length); `messages#create` renders them as
 * `{"error":"Validation failed: …"}`. "Too many messages" is literal English in every locale.
 * The 15-attachment limit is not enforced on this path (its `before_add` error is cleared by
 * `valid?`), so the fake does not refuse more files either.
 */
export function messageValidationError(
  context: FakeContext,
  conversation: FakeConversation | undefined,
  input: NewMessage,
): string | undefined {
  const problems: string[] = [];
  if (conversation !== undefined && messagesInLastMinute(context, conversation) >= messagesPerMinuteLimit)
    problems.push('Too many messages');
  if (codePointLength(input.content ?? '') > maxContentLength) {
    problems.push(`Content is too long (maximum is ${maxContentLength} characters)`);
  }
  return problems.length === 0 ? undefined : `Validation failed: ${problems.join(', ')}`;
}

/** Sends a message event whose body is built when its job runs. */
export function emitMessageEvent(
  context: FakeContext,
  conversation: FakeConversation,
  message: FakeMessage,
  event: 'message_created' | 'message_updated',
): void {
  context.webhooks.emit({
    build: () =>
      conversation.messages.includes(message)
        ? messageEventPayload(context.state, conversation, message, event)
        : undefined,
    messageId: message.id,
  });
}

/**
 * `Message#reopen_conversation` (`app/models/message.rb`): an incoming message (private ones too)
 * reopens a snoozed conversation (open, always) or a resolved one (pending when the inbox has an
 * active bot, else open), never one whose contact is blocked. A contact reopening an API inbox's
 * conversation gets the "System reopened" line; otherwise the line names the token owner.
 */
function reopenOnIncoming(
  context: FakeContext,
  conversation: FakeConversation,
  message: FakeMessage,
  actor: FakeActor,
): void {
  if (message.messageType !== 'incoming' || contactOf(context.state, conversation).blocked) return;
  if (conversation.status === 'snoozed') {
    updateConversation(context, conversation, { status: 'open' }, actor);
    return;
  }
  if (conversation.status !== 'resolved') return;
  if (inboxHasActiveBot(context.state)) {
    updateConversation(context, conversation, { status: 'pending' }, actor);
    return;
  }
  const byContact = !message.private && message.sender?.type === 'contact';
  updateConversation(
    context,
    conversation,
    { status: 'open' },
    actor,
    byContact ? { statusActivity: 'System reopened the conversation due to a new incoming message.' } : {},
  );
}

/**
 * Creates a message as `Messages::MessageBuilder` and the `Message` callbacks do, after
 * validation: the reopen rules, the activity timestamps, then `message_created` for incoming,
 * outgoing and template messages (private notes and the poster's own messages included;
 * `webhook_sendable?`), and `conversation_updated` for the waiting and first-reply columns it
 * changed.
 */
export function postMessage(
  context: FakeContext,
  conversation: FakeConversation,
  input: NewMessage,
  actor: FakeActor,
): FakeMessage {
  const { message, changed } = storeMessage(context, conversation, input);
  reopenOnIncoming(context, conversation, message, actor);
  if (message.messageType !== 'activity') emitMessageEvent(context, conversation, message, 'message_created');
  if (changed.length > 0) {
    changed.push({
      updated_at: {
        previous_value: isoTime(message.createdAt),
        current_value: isoTime(conversation.updatedAt),
      },
    });
    emitConversationEvent(context, conversation, 'conversation_updated', changed);
  }
  return message;
}

/**
 * A webhook target refused a message event (`Webhooks::Trigger#handle_error`). The API inbox's
 * URL: the message is marked failed with the reason in `content_attributes.external_error`,
 * announced with message_updated (`Messages::StatusUpdateService`).
 */
export function markMessageFailed(context: FakeContext, messageId: number, error: string): void {
  const found = findMessage(context, messageId);
  // Nothing changes (so no webhook) when it is failed already with the same reason.
  if (
    found === undefined ||
    (found.message.status === 'failed' && found.message.contentAttributes.external_error === error)
  )
    return;
  const { conversation, message } = found;
  message.status = 'failed';
  message.contentAttributes = { ...message.contentAttributes, external_error: error };
  message.updatedAt = context.now();
  emitMessageEvent(context, conversation, message, 'message_updated');
}

/**
 * An agent bot's URL refused a message event after the retries (`Webhooks::Trigger#update_conversation_status`):
 * a pending conversation is opened, unless the account keeps it pending, with the one activity line
 * `conversations.activity.agent_bot.error_moved_to_open` (no status line: there is no `Current.user`).
 */
export function openAfterBotFailure(context: FakeContext, messageId: number, keepPending: boolean): void {
  const found = findMessage(context, messageId);
  if (found === undefined || found.conversation.status !== 'pending' || keepPending) return;
  updateConversation(context, found.conversation, { status: 'open' }, systemActor);
  addActivityMessage(
    context,
    found.conversation,
    'Conversation was marked open by system due to an error with the agent bot.',
  );
}

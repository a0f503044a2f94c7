import { randomUUID } from 'node:crypto';
import type { FakeContext } from './fake-context.js';
import type { FakeConversation, FakePart } from './fake-records.js';
import { conversationView } from './fake-rest-views.js';
import { seedApp } from './fake-seed.js';
import { unixSeconds } from './fake-time.js';

/** The conversation topics the fake sends (facts §7). */
export type ConversationTopic =
  | 'conversation.user.created'
  | 'conversation.user.replied'
  | 'conversation.admin.replied'
  | 'conversation.admin.noted'
  | 'conversation.admin.assigned'
  | 'conversation.admin.closed'
  | 'conversation.admin.opened'
  | 'conversation.admin.snoozed';

/**
 * The notification envelope (facts §7): the official example's fields plus the delivery fields
 * third-party receivers show. `data.item` is the conversation with only the part(s) that caused
 * the notification.
 */
function notificationBody(topic: ConversationTopic, item: ReturnType<typeof conversationView>, now: Date) {
  const seconds = unixSeconds(now);
  return {
    type: 'notification_event',
    app_id: seedApp.idCode,
    id: `notif_${randomUUID()}`,
    topic,
    created_at: seconds,
    delivery_status: 'pending',
    delivery_attempts: 1,
    first_sent_at: seconds,
    delivered_at: 0,
    links: {},
    self: null,
    data: { type: 'notification_event_data', item },
  };
}

/** Sends the notification of a change: the conversation as it is now, with only `newParts`. */
export function notifyConversation(
  context: FakeContext,
  topic: ConversationTopic,
  conversation: FakeConversation,
  newParts: readonly FakePart[],
): void {
  const item = conversationView(context.state, conversation, newParts);
  context.webhooks.emit(notificationBody(topic, item, context.now()));
}

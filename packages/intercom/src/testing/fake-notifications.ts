import { randomUUID } from 'node:crypto';
import type { FakeContext } from './fake-context.js';
import type { FakeAdmin, FakeConversation, FakePart } from './fake-records.js';
import { adminView, conversationView } from './fake-rest-views.js';
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

/** Every topic the fake sends: the conversation topics and `admin.away_mode_updated`. */
type NotificationTopic = ConversationTopic | 'admin.away_mode_updated';

/**
 * Queues a notification (facts §7): the official example's envelope plus the delivery fields
 * third-party receivers show. `item` is what the event was about, as it was then; the envelope is
 * made when the delivery goes out, so `first_sent_at` is the moment it was sent while `created_at`
 * is the moment of the event (a notification delayed by Intercom shows both).
 */
function notify(context: FakeContext, topic: NotificationTopic, item: unknown): void {
  const id = `notif_${randomUUID()}`;
  const createdAt = unixSeconds(context.now());
  context.webhooks.emit(() => ({
    type: 'notification_event',
    app_id: seedApp.idCode,
    id,
    topic,
    created_at: createdAt,
    delivery_status: 'pending',
    delivery_attempts: 1,
    first_sent_at: unixSeconds(context.now()),
    delivered_at: 0,
    links: {},
    self: null,
    data: { type: 'notification_event_data', item },
  }));
}

/** Sends the notification of a change: the conversation as it is now, with only `newParts`. */
export function notifyConversation(
  context: FakeContext,
  topic: ConversationTopic,
  conversation: FakeConversation,
  newParts: readonly FakePart[],
): void {
  notify(context, topic, conversationView(context.state, conversation, newParts));
}

/**
 * `admin.away_mode_updated` (developer docs, "Webhook models": object Admin, "Admin away mode
 * updates", permission "Read admins"): the admin as `GET /admins/{id}` shows it after the change.
 * The payload's fields match the admin model (a sample payload in zulip/zulip
 * zerver/webhooks/intercom/fixtures/admin_away_mode_updated.json).
 */
export function notifyAwayMode(context: FakeContext, admin: FakeAdmin): void {
  notify(context, 'admin.away_mode_updated', adminView(context.state, admin));
}

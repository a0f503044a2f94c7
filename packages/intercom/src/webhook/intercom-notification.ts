import { z } from 'zod';

/** The notification envelope Intercom POSTs (`type: notification_event`); only what is read. */
export const notificationSchema = z.object({
  type: z.literal('notification_event'),
  id: z.string().min(1),
  topic: z.string(),
  data: z.object({ item: z.unknown() }).nullish(),
});

/** Topics whose item is a conversation (with only the new parts). */
export const conversationTopics: ReadonlySet<string> = new Set([
  'conversation.admin.replied',
  'conversation.admin.noted',
  'conversation.admin.assigned',
  'conversation.admin.closed',
  'conversation.admin.opened',
  'conversation.admin.snoozed',
  'conversation.admin.unsnoozed',
  'conversation.user.created',
  'conversation.user.replied',
]);

/**
 * `admin.away_mode_updated` (developer docs, "Webhook models": object Admin, "Admin away mode
 * updates", permission "Read admins"): an admin went away or came back.
 */
export const awayModeTopic = 'admin.away_mode_updated';

// The events of a bot webhook in internal mode: a contact wrote, the conversation changed hands.

import { z } from 'zod';
import { attachmentSchema } from './attachment.js';

/**
 * Who holds a conversation the support system hosts the bot in: the bot (Chatwoot `pending`), a
 * human (open, snoozed) or nobody (resolved; the contact's next message goes to the bot again).
 */
export const conversationHolderSchema = z.enum(['bot', 'human', 'closed']);
export type ConversationHolder = z.infer<typeof conversationHolderSchema>;

/** The contact (end user) as the support system knows them. */
export const hostContactSchema = z.object({
  /** The support system's id of the contact. */
  id: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  /** The identifier the contact carries in the support system (a customer id), if any. */
  identifier: z.string().optional(),
});
export type HostContact = z.infer<typeof hostContactSchema>;

const hostEventBase = {
  /** Stable: the same vendor event always yields the same id (duplicates are dropped on it). */
  id: z.string().min(1),
  conversationId: z.string().min(1),
  /** Who held the conversation when the system sent the event. */
  holder: conversationHolderSchema,
};

/** The contact wrote in a conversation the support system owns. */
const contactMessageEventSchema = z.object({
  type: z.literal('contact.message'),
  ...hostEventBase,
  contact: hostContactSchema,
  message: z.object({
    id: z.string().min(1),
    text: z.string(),
    attachments: z.array(attachmentSchema).optional(),
  }),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});

/** The conversation changed hands: an agent took it, gave it back to the bot, or resolved it. */
const holderChangedEventSchema = z.object({
  type: z.literal('conversation.holder'),
  ...hostEventBase,
});

/** What a support system that hosts the bot reports through its bot webhook (internal mode). */
export const botHostEventSchema = z.discriminatedUnion('type', [
  contactMessageEventSchema,
  holderChangedEventSchema,
]);
export type BotHostEvent = z.infer<typeof botHostEventSchema>;
export type ContactMessageEvent = z.infer<typeof contactMessageEventSchema>;
export type HolderChangedEvent = z.infer<typeof holderChangedEventSchema>;

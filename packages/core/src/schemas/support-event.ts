// The events a support system reports: agent messages, notes, typing, assignment, closing.

import { z } from 'zod';
import { attachmentSchema } from './attachment.js';

/** A human agent as the support system names them. */
export const agentSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
});
export type Agent = z.infer<typeof agentSchema>;

const eventBase = {
  /** Stable id of the event: the same vendor event always yields the same id (used to drop duplicates). */
  id: z.string().min(1),
  /** Support-side conversation the event belongs to. */
  conversationId: z.string().min(1),
  /** The handoff session id, when the support system carries it back (custom attribute or metadata). */
  sessionId: z.string().optional(),
  /** ISO 8601 time the support system reports for the event. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
};

export const agentMessageEventSchema = z.object({
  type: z.literal('agent.message'),
  ...eventBase,
  message: z.object({
    id: z.string().min(1),
    text: z.string(),
    attachments: z.array(attachmentSchema).optional(),
  }),
  agent: agentSchema,
});

/** A private note an agent wrote: never shown to the user, handed to the bot when it gets the user back. */
export const agentNoteEventSchema = z.object({
  type: z.literal('agent.note'),
  ...eventBase,
  note: z.object({ id: z.string().min(1), text: z.string() }),
  agent: agentSchema,
});

export const agentTypingEventSchema = z.object({
  type: z.literal('agent.typing'),
  ...eventBase,
  typing: z.boolean(),
  agent: agentSchema,
});

export const agentAssignedEventSchema = z.object({
  type: z.literal('agent.assigned'),
  ...eventBase,
  /** The agent now holding the conversation; absent when only the team changed. */
  agent: agentSchema.optional(),
  team: z.object({ id: z.string(), name: z.string().optional() }).optional(),
});

export const conversationClosedEventSchema = z.object({
  type: z.literal('conversation.closed'),
  ...eventBase,
  /** Who closed it as far as the support system tells: an agent, an automation, or us. */
  closedBy: z.enum(['agent', 'system', 'bot']).optional(),
  agent: agentSchema.optional(),
});

export const supportEventSchema = z.discriminatedUnion('type', [
  agentMessageEventSchema,
  agentNoteEventSchema,
  agentTypingEventSchema,
  agentAssignedEventSchema,
  conversationClosedEventSchema,
]);

export type AgentMessageEvent = z.infer<typeof agentMessageEventSchema>;
export type AgentNoteEvent = z.infer<typeof agentNoteEventSchema>;
export type AgentTypingEvent = z.infer<typeof agentTypingEventSchema>;
export type AgentAssignedEvent = z.infer<typeof agentAssignedEventSchema>;
export type ConversationClosedEvent = z.infer<typeof conversationClosedEventSchema>;
export type SupportEvent = z.infer<typeof supportEventSchema>;
export type SupportEventType = SupportEvent['type'];

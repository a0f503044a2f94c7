import type { BotHostEvent, ConversationHolder, UnreadablePart } from '@handoff/core';
import { isoTime } from './rocketchat-time.js';
import { type WebhookPayload, webhookMessageSchema } from './rocketchat-webhook-payload.js';

/** Who holds a room, from the agent serving it: the bot user, another agent (or the queue), or closed. */
function holderOf(servedById: string | null | undefined, botUserId: string): ConversationHolder {
  return servedById === botUserId ? 'bot' : 'human';
}

/** A non-empty string field of an object, else undefined. */
function stringField(record: unknown, key: string): string | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const value = (record as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The events of a Livechat webhook for the bot agent (internal mode): the visitor's messages
 * become `contact.message` (with who serves the room: the webhook's `agent` is the room's
 * `servedBy`), taking, forwarding and closing become `conversation.holder`. Agents' messages and
 * the bot's own are left out.
 */
export function botHostEvents(
  payload: WebhookPayload,
  botUserId: string,
): { events: BotHostEvent[]; unreadable: UnreadablePart[] } {
  const conversationId = payload._id;
  const events: BotHostEvent[] = [];
  const unreadable: UnreadablePart[] = [];
  switch (payload.type) {
    case 'Message': {
      const holder = holderOf(payload.agent?._id ?? payload.servedBy?._id, botUserId);
      const visitor = payload.visitor;
      for (const [index, raw] of (payload.messages ?? []).entries()) {
        const parsed = webhookMessageSchema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          unreadable.push({
            field: `messages[${index}]${issue?.path.length ? `.${issue.path.join('.')}` : ''}`,
            reason: issue?.message ?? 'unexpected shape',
          });
          continue;
        }
        const message = parsed.data;
        // An author id: an agent's message or the bot's own; the visitor's carry none.
        if (message.agentId != null) continue;
        if (message.closingMessage || message.navigation !== undefined || message.editedAt !== undefined)
          continue;
        const contactId = visitor?._id ?? undefined;
        if (contactId === undefined) {
          unreadable.push({
            field: 'visitor._id',
            reason: 'the visitor has no id',
            eventId: `message:${message._id}`,
          });
          continue;
        }
        const identifier = stringField(visitor?.customFields, 'handoff_user_id');
        const name = stringField(visitor, 'name');
        const email = stringField(visitor, 'email');
        const phone = stringField(visitor, 'phone');
        const occurredAt = isoTime(message.ts);
        events.push({
          type: 'contact.message',
          id: `message:${message._id}`,
          conversationId: message.rid ?? conversationId,
          holder,
          contact: {
            id: contactId,
            ...(name === undefined ? {} : { name }),
            ...(email === undefined ? {} : { email }),
            ...(phone === undefined ? {} : { phone }),
            ...(identifier === undefined ? {} : { identifier }),
          },
          message: { id: message._id, text: message.msg ?? '' },
          ...(occurredAt === undefined ? {} : { occurredAt }),
        });
      }
      return { events, unreadable };
    }
    case 'LivechatSession':
      return {
        events: [
          { type: 'conversation.holder', id: `closed:${conversationId}`, conversationId, holder: 'closed' },
        ],
        unreadable,
      };
    case 'LivechatSessionTaken':
    case 'LivechatSessionForwarded': {
      const servedBy = payload.servedBy;
      // A forward to a department is sent while the room still names the agent that forwarded it
      // (`unassignAgent` runs the forward callback before `removeAgentByRoomId`, lib/Helper.ts and
      // RoutingManager.ts): the bot's own handoff names the bot, yet the room now waits for a human.
      const leftByTheBot =
        payload.type === 'LivechatSessionForwarded' &&
        payload.oldDepartmentId != null &&
        servedBy?._id === botUserId;
      const holder = leftByTheBot ? 'human' : holderOf(servedBy?._id, botUserId);
      const id = `holder:${conversationId}:${servedBy?._id ?? 'queue'}:${isoTime(servedBy?.ts) ?? ''}:${payload.departmentId ?? ''}`;
      return { events: [{ type: 'conversation.holder', id, conversationId, holder }], unreadable };
    }
    default:
      return { events, unreadable };
  }
}

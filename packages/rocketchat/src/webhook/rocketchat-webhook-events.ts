import type { Attachment, SupportEvent, UnreadablePart } from '@handoff/core';
import { isoTime } from './rocketchat-time.js';
import {
  type WebhookMessage,
  type WebhookPayload,
  webhookMessageSchema,
} from './rocketchat-webhook-payload.js';

export interface WebhookEventContext {
  /** The user the adapter calls as: its messages, closes and assignments are the bot's own. */
  ownUserId: string;
  /** The server's origin, to make the relative file links of a message absolute. */
  baseUrl: string;
}

function absoluteUrl(link: string, baseUrl: string): string | undefined {
  try {
    const url = new URL(link, baseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The files of an agent's message (`attachments[].title_link`), and the parts that cannot be read. */
function filesOf(message: WebhookMessage, index: number, context: WebhookEventContext, eventId: string) {
  const files: Attachment[] = [];
  const unreadable: UnreadablePart[] = [];
  for (const [position, attachment] of (message.attachments ?? []).entries()) {
    const link = attachment.title_link ?? attachment.image_url;
    if (link === undefined || link === null) continue;
    const url = absoluteUrl(link, context.baseUrl);
    if (url === undefined) {
      unreadable.push({
        field: `messages[${index}].attachments[${position}].title_link`,
        reason: 'not an http(s) link',
        eventId,
      });
      continue;
    }
    files.push({
      url,
      contentType: attachment.image_type ?? attachment.type ?? 'application/octet-stream',
      ...(attachment.title ? { name: attachment.title.slice(0, 255) } : {}),
      ...(attachment.image_size == null ? {} : { size: attachment.image_size }),
    });
  }
  return { files, unreadable };
}

/**
 * The agents' messages of a `Message` (or any) webhook: a message without `agentId` is the
 * visitor's (ours), one by the adapter's own user is a bot turn or note we posted (an echo), a
 * closing comment, navigation entry or edit is no new message.
 */
function messageEvents(payload: WebhookPayload, context: WebhookEventContext) {
  const events: SupportEvent[] = [];
  const unreadable: UnreadablePart[] = [];
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
    const authorId = message.agentId ?? undefined;
    if (authorId === undefined || authorId === context.ownUserId) continue;
    if (message.closingMessage || message.navigation !== undefined || message.editedAt !== undefined)
      continue;
    const eventId = `message:${message._id}`;
    const { files, unreadable: unreadableFiles } = filesOf(message, index, context, eventId);
    unreadable.push(...unreadableFiles);
    const name = message.u?.name ?? (payload.agent?._id === authorId ? payload.agent?.name : undefined);
    const occurredAt = isoTime(message.ts);
    events.push({
      type: 'agent.message',
      id: eventId,
      conversationId: message.rid ?? payload._id,
      ...(occurredAt === undefined ? {} : { occurredAt }),
      message: {
        id: message._id,
        text: message.msg ?? '',
        ...(files.length === 0 ? {} : { attachments: files }),
      },
      agent: {
        id: authorId,
        ...(name ? { name } : message.username ? { name: message.username } : {}),
      },
    });
  }
  return { events, unreadable };
}

/** The events of one verified Livechat webhook, echoes of the adapter's own actions left out. */
export function webhookEvents(
  payload: WebhookPayload,
  context: WebhookEventContext,
): { events: SupportEvent[]; unreadable: UnreadablePart[] } {
  const conversationId = payload._id;
  switch (payload.type) {
    case 'Message':
      return messageEvents(payload, context);
    case 'LivechatSession': {
      // The room was closed (`Livechat_webhook_on_close`).
      const byUs =
        payload.closedBy?._id === context.ownUserId ||
        payload.closer === 'visitor' ||
        payload.closer === 'bot';
      const agentName = payload.closedBy?.name ?? payload.closedBy?.username ?? undefined;
      const occurredAt = isoTime(payload.closedAt);
      return {
        events: [
          {
            type: 'conversation.closed',
            id: `closed:${conversationId}`,
            conversationId,
            ...(occurredAt === undefined ? {} : { occurredAt }),
            closedBy: byUs ? 'bot' : payload.closer === 'user' ? 'agent' : 'system',
            ...(!byUs && payload.closedBy?._id
              ? { agent: { id: payload.closedBy._id, ...(agentName ? { name: agentName } : {}) } }
              : {}),
          },
        ],
        unreadable: [],
      };
    }
    case 'LivechatSessionTaken':
    case 'LivechatSessionForwarded': {
      // An agent took the room from the queue, or it was forwarded (to an agent or a department).
      const servedBy = payload.servedBy;
      if (servedBy === undefined || servedBy === null || servedBy._id === context.ownUserId) {
        return { events: [], unreadable: [] };
      }
      const name =
        (payload.agent?._id === servedBy._id ? payload.agent?.name : undefined) ??
        servedBy.username ??
        undefined;
      return {
        events: [
          {
            type: 'agent.assigned',
            id: `assigned:${conversationId}:${servedBy._id}:${isoTime(servedBy.ts) ?? ''}`,
            conversationId,
            agent: { id: servedBy._id, ...(name ? { name } : {}) },
            ...(payload.departmentId ? { team: { id: payload.departmentId } } : {}),
          },
        ],
        unreadable: [],
      };
    }
    default:
      // LivechatSessionStart, LivechatSessionQueued, LivechatEdit, LeadCapture: nothing for the bot.
      return { events: [], unreadable: [] };
  }
}

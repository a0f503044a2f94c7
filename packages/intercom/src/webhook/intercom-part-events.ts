import type { Attachment, SupportEvent } from '@handoff/core';
import type { ConversationPart } from '../intercom-responses.js';
import { plainText } from './plain-text.js';

export interface PartEventContext {
  /** The admin the bot acts as: its parts are the bot's own (echoes), never an agent's. */
  botAdminId: string;
  /** Parts this adapter created (ids from its own reply calls). */
  isOwnPart(partId: string): boolean;
  /** A teammate's name, for assignments (parts carry only the assignee's id). */
  adminName(adminId: string): string | undefined;
}

function occurredAt(part: ConversationPart): string | undefined {
  return typeof part.created_at === 'number' ? new Date(part.created_at * 1000).toISOString() : undefined;
}

function attachmentsOf(part: ConversationPart): Attachment[] | undefined {
  if (!part.attachments || part.attachments.length === 0) return undefined;
  return part.attachments.map((attachment) => ({
    url: attachment.url,
    contentType: attachment.content_type ?? 'application/octet-stream',
    ...(attachment.name == null ? {} : { name: attachment.name }),
    ...(attachment.filesize == null ? {} : { size: attachment.filesize }),
  }));
}

/**
 * What one conversation part means for the engine. The bot owns the user's channel, so contact
 * parts are always our own mirrors, and the bot admin's parts are the bot's: neither is an agent.
 * A human admin's comment is `agent.message`, their note `agent.note`; an assignment to a human
 * admin is `agent.assigned`; a close by anyone is `conversation.closed`. Webhooks and catching up
 * read parts the same way, so both give the same event ids.
 */
export function partEvents(
  conversationId: string,
  part: ConversationPart,
  context: PartEventContext,
): SupportEvent[] {
  const author = part.author;
  const byBot = author?.type === 'admin' && author.id === context.botAdminId;
  const human = author?.type === 'admin' && !byBot && !context.isOwnPart(part.id);
  const when = occurredAt(part);
  const base = { conversationId, ...(when === undefined ? {} : { occurredAt: when }) };
  const agent = {
    ...(author?.id == null ? {} : { id: author.id }),
    ...(author?.name == null ? {} : { name: author.name }),
  };
  switch (part.part_type) {
    case 'comment': {
      if (!human) return [];
      const attachments = attachmentsOf(part);
      return [
        {
          type: 'agent.message',
          id: `message:${part.id}`,
          ...base,
          message: {
            id: part.id,
            text: plainText(part.body),
            ...(attachments === undefined ? {} : { attachments }),
          },
          agent,
        },
      ];
    }
    case 'note':
      return human
        ? [
            {
              type: 'agent.note',
              id: `note:${part.id}`,
              ...base,
              note: { id: part.id, text: plainText(part.body) },
              agent,
            },
          ]
        : [];
    case 'assignment':
    case 'assign_and_reopen':
    case 'default_assignment': {
      const assignee = part.assigned_to;
      if (assignee?.type !== 'admin' || assignee.id == null || assignee.id === context.botAdminId) return [];
      const name = context.adminName(assignee.id);
      return [
        {
          type: 'agent.assigned',
          id: `assigned:${conversationId}:${part.id}`,
          ...base,
          agent: { id: assignee.id, ...(name === undefined ? {} : { name }) },
        },
      ];
    }
    case 'close':
      return [
        {
          type: 'conversation.closed',
          id: `closed:${conversationId}:${part.id}`,
          ...base,
          closedBy: byBot ? 'bot' : author?.type === 'admin' ? 'agent' : 'system',
        },
      ];
    default:
      return [];
  }
}

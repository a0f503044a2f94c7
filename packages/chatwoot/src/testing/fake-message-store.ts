import { randomUUID } from 'node:crypto';
import type { FakeContext } from './fake-context.js';
import type {
  FakeAttachment,
  FakeConversation,
  FakeMessage,
  FakeMessageType,
  FakeSender,
} from './fake-records.js';
import type { UploadedFile } from './fake-request-body.js';
import { takeId } from './fake-state.js';

export interface NewMessage {
  messageType: FakeMessageType;
  content: string | null;
  contentType?: string;
  contentAttributes?: Record<string, unknown>;
  private?: boolean;
  sourceId?: string | null;
  echoId?: string | null;
  sender: FakeSender | null;
  files?: UploadedFile[];
}

function fileTypeOf(contentType: string): FakeAttachment['fileType'] {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('audio/')) return 'audio';
  if (contentType.startsWith('video/')) return 'video';
  return 'file';
}

/** An upload kept in memory and served at the ActiveStorage redirect URL, as `data_url`. */
function storeAttachment(context: FakeContext, messageId: number, file: UploadedFile): FakeAttachment {
  const key = randomUUID();
  const filename = encodeURIComponent(file.filename === '' ? 'file' : file.filename);
  const fileType = fileTypeOf(file.contentType);
  return {
    id: takeId(context.state, 'attachment'),
    messageId,
    accountId: context.state.account.id,
    fileType,
    contentType: file.contentType,
    filename: file.filename,
    key,
    dataUrl: `${context.baseUrl}/rails/active_storage/blobs/redirect/${key}/${filename}`,
    // Chatwoot gives a thumbnail (an image representation) for images only, '' otherwise.
    thumbUrl:
      fileType === 'image'
        ? `${context.baseUrl}/rails/active_storage/representations/redirect/${key}/thumb/${filename}`
        : '',
    byteSize: file.data.length,
    data: file.data,
  };
}

/** Adds a message to the conversation and keeps its activity timestamps; sends nothing. */
export function storeMessage(
  context: FakeContext,
  conversation: FakeConversation,
  input: NewMessage,
): FakeMessage {
  const now = context.now();
  const id = takeId(context.state, 'message');
  const message: FakeMessage = {
    id,
    conversationDisplayId: conversation.displayId,
    messageType: input.messageType,
    content: input.content,
    contentType: input.contentType ?? 'text',
    contentAttributes: input.contentAttributes ?? {},
    additionalAttributes: {},
    private: input.private ?? false,
    sourceId: input.sourceId ?? null,
    echoId: input.echoId ?? null,
    status: 'sent',
    sender: input.sender,
    attachments: (input.files ?? []).map((file) => storeAttachment(context, id, file)),
    createdAt: now,
    updatedAt: now,
  };
  conversation.messages.push(message);
  if (message.messageType === 'incoming' || message.messageType === 'outgoing')
    conversation.lastActivityAt = now;
  if (message.messageType === 'incoming' && conversation.waitingSince === null)
    conversation.waitingSince = now;
  if (message.messageType === 'outgoing' && message.sender?.type === 'user' && !message.private) {
    conversation.firstReplyCreatedAt ??= now;
    conversation.waitingSince = null;
  }
  return message;
}

/**
 * The activity line Chatwoot writes for status, team and assignee changes (message_type 2, no
 * sender). Activity messages never go out as webhooks (notes §3.1).
 */
export function addActivityMessage(
  context: FakeContext,
  conversation: FakeConversation,
  content: string,
): void {
  storeMessage(context, conversation, { messageType: 'activity', content, sender: null });
}

/** Messages the conversation got in the last minute (the anti-loop guard of notes §5). */
export function messagesInLastMinute(context: FakeContext, conversation: FakeConversation): number {
  const since = context.now().getTime() - 60_000;
  return conversation.messages.filter((message) => message.createdAt.getTime() >= since).length;
}

export function findMessage(
  context: FakeContext,
  messageId: number,
): { conversation: FakeConversation; message: FakeMessage } | undefined {
  for (const conversation of context.state.conversations) {
    const message = conversation.messages.find((candidate) => candidate.id === messageId);
    if (message !== undefined) return { conversation, message };
  }
  return undefined;
}

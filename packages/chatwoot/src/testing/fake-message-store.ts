import { randomUUID } from 'node:crypto';
import type { UploadedFile } from '@handoff/fake-server';
import type { FakeContext } from './fake-context.js';
import type {
  FakeAttachment,
  FakeConversation,
  FakeMessage,
  FakeMessageType,
  FakeSender,
} from './fake-records.js';
import { takeId } from './fake-state.js';
import { isoTime } from './fake-time.js';

export interface NewMessage {
  messageType: FakeMessageType;
  content: string | null;
  contentType?: string;
  contentAttributes?: Record<string, unknown>;
  private?: boolean;
  sourceId?: string | null;
  /** Rendered in the create answer only: `echo_id` is an `attr_accessor`, never stored. */
  echoId?: string | null;
  sender: FakeSender | null;
  files?: UploadedFile[];
}

/** `FileTypeHelper#file_type`: a fixed list of image and video types, anything with `audio/`, else `file`. */
const imageTypes = new Set([
  'image/jpeg',
  'image/jpg',
  'image/png',
  'image/gif',
  'image/bmp',
  'image/webp',
  'image',
]);
const videoTypes = new Set(['video/ogg', 'video/mp4', 'video/webm', 'video/quicktime', 'video']);

function fileTypeOf(contentType: string): FakeAttachment['fileType'] {
  if (imageTypes.has(contentType)) return 'image';
  if (videoTypes.has(contentType)) return 'video';
  if (contentType.includes('audio/')) return 'audio';
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

/** Conversation columns a new message changed, for the `conversation_updated` it causes. */
export type MessageSideEffects = Array<Record<string, { previous_value: unknown; current_value: unknown }>>;

const isBotSender = (sender: FakeSender | null) => sender?.type === 'agent_bot';

/**
 * Adds a message to the conversation as `Message` callbacks do (`app/models/message.rb`):
 * `set_conversation_activity` moves `last_activity_at` and `updated_at` for every message, activity
 * lines included; the first human reply sets `first_reply_created_at`; a public human or bot reply
 * clears `waiting_since`, an incoming message sets it when blank (`update_waiting_since`). Answers
 * the message and the listed columns it changed (each sends `conversation_updated`).
 */
export function storeMessage(
  context: FakeContext,
  conversation: FakeConversation,
  input: NewMessage,
): { message: FakeMessage; changed: MessageSideEffects } {
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
    status: 'sent',
    sender: input.sender,
    attachments: (input.files ?? []).map((file) => storeAttachment(context, id, file)),
    createdAt: now,
    updatedAt: now,
  };
  conversation.messages.push(message);
  conversation.lastActivityAt = now;
  conversation.updatedAt = now;
  const changed: MessageSideEffects = [];
  const change = (column: string, previous: Date | null, current: Date | null) =>
    changed.push({
      [column]: {
        previous_value: previous === null ? null : isoTime(previous),
        current_value: current === null ? null : isoTime(current),
      },
    });
  if (message.messageType === 'incoming' && conversation.waitingSince === null) {
    change('waiting_since', null, now);
    conversation.waitingSince = now;
  }
  const publicReply = message.messageType === 'outgoing' && !message.private;
  if (publicReply && message.sender?.type === 'user' && conversation.firstReplyCreatedAt === null) {
    change('first_reply_created_at', null, now);
    conversation.firstReplyCreatedAt = now;
  }
  if (
    publicReply &&
    (message.sender?.type === 'user' || isBotSender(message.sender)) &&
    conversation.waitingSince !== null
  ) {
    change('waiting_since', conversation.waitingSince, null);
    conversation.waitingSince = null;
  }
  return { message, changed };
}

/**
 * The activity line Chatwoot writes for status, team and assignee changes (message_type 2, no
 * sender; `Conversations::ActivityMessageJob`). Activity messages never go out as webhooks
 * (`MessageFilterHelpers#webhook_sendable?`).
 */
export function addActivityMessage(
  context: FakeContext,
  conversation: FakeConversation,
  content: string,
): void {
  storeMessage(context, conversation, { messageType: 'activity', content, sender: null });
}

/**
 * Messages the conversation got in the last minute, every kind counted (`Message#prevent_message_flooding`,
 * limit `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT`, default 200).
 */
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

import type { UploadedFile } from '@handoff/fake-server';
import type { FakeTokenOwner } from './fake-actor.js';
import type { NewMessage } from './fake-message-store.js';
import { type Params, readInteger, readRecord, readString } from './fake-params.js';
import type { FakeConversation, FakeMessageType, FakeSender } from './fake-records.js';
import type { FakeState } from './fake-state.js';
import { findAgentBot } from './fake-state.js';

const messageTypes: readonly FakeMessageType[] = ['incoming', 'outgoing', 'activity', 'template'];

/** `enum content_type` of `app/models/message.rb`: anything else is refused. */
const contentTypes: ReadonlySet<string> = new Set([
  'text',
  'input_text',
  'input_textarea',
  'input_email',
  'input_select',
  'cards',
  'form',
  'article',
  'incoming_email',
  'input_csat',
  'integrations',
  'sticker',
  'voice_call',
]);

/**
 * The sender `Messages::MessageBuilder#sender` picks (`app/builders/messages/message_builder.rb`):
 * only when `message_type == 'outgoing'` (the string) the agent bot named by
 * `sender_type:"AgentBot"` + `sender_id`, else the token owner; for anything else the
 * conversation's contact (a JSON integer `1` is stored as outgoing but fails that string test).
 */
function senderFor(
  state: FakeState,
  contactId: number,
  owner: FakeTokenOwner,
  requestedType: unknown,
  params: Params,
): FakeSender {
  if (requestedType !== 'outgoing') return { type: 'contact', id: contactId };
  if (readString(params.sender_type) === 'AgentBot') {
    const bot = findAgentBot(state, readInteger(params.sender_id));
    if (bot !== undefined) return { type: 'agent_bot', id: bot.id };
  }
  return owner.kind === 'user'
    ? { type: 'user', id: owner.user.id }
    : { type: 'agent_bot', id: owner.bot.id };
}

/**
 * The Rails enum cast of `message_type`: a name, or a JSON integer; a numeric string (a form
 * field) is not a valid value (`ArgumentError` → 422).
 */
function messageTypeOf(value: unknown): FakeMessageType | undefined {
  if (typeof value === 'number') return messageTypes[value];
  return messageTypes.find((type) => type === value);
}

/** The message a create request describes, or the 422 text Rails gives for a bad enum value. */
export function messageFromParams(
  state: FakeState,
  conversation: Pick<FakeConversation, 'contactId'>,
  owner: FakeTokenOwner,
  params: Params,
  files: UploadedFile[],
): NewMessage | { error: string } {
  const requested = params.message_type ?? 'outgoing';
  const messageType = messageTypeOf(requested);
  if (messageType === undefined) return { error: `'${String(requested)}' is not a valid message_type` };
  const contentType = readString(params.content_type) ?? 'text';
  if (contentType !== '' && !contentTypes.has(contentType))
    return { error: `'${contentType}' is not a valid content_type` };
  const contentAttributes = readRecord(params.content_attributes) ?? {};
  const externalCreatedAt = params.external_created_at;
  return {
    messageType,
    content: readString(params.content) ?? null,
    contentType: contentType === '' ? 'text' : contentType,
    // `external_created_at` is kept in content_attributes with its type; created_at stays the insert time.
    contentAttributes:
      externalCreatedAt === undefined
        ? contentAttributes
        : { ...contentAttributes, external_created_at: externalCreatedAt },
    private: readRailsBoolean(params.private) ?? false,
    sourceId: readString(params.source_id) ?? null,
    echoId: readString(params.echo_id) ?? null,
    sender: senderFor(state, conversation.contactId, owner, requested, params),
    files,
  };
}

/** ActiveRecord's boolean cast: `false`, `0`, `f`, `off` (and blank) are false, anything else true. */
function readRailsBoolean(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (text === '') return undefined;
  return !['false', '0', 'f', 'off'].includes(text);
}

import type { FakeTokenOwner } from './fake-actor.js';
import type { NewMessage } from './fake-message-store.js';
import { type Params, readBoolean, readInteger, readRecord, readString } from './fake-params.js';
import type { FakeConversation, FakeMessageType, FakeSender } from './fake-records.js';
import type { UploadedFile } from './fake-request-body.js';
import type { FakeState } from './fake-state.js';
import { findAgentBot } from './fake-state.js';

const messageTypes: readonly FakeMessageType[] = ['incoming', 'outgoing', 'activity', 'template'];

/**
 * The sender `Messages::MessageBuilder` picks (notes §1.3): the conversation's contact for
 * anything not outgoing; for outgoing, the agent bot named by `sender_type:"AgentBot"` +
 * `sender_id`, else the token owner.
 */
function senderFor(
  state: FakeState,
  contactId: number,
  owner: FakeTokenOwner,
  messageType: FakeMessageType,
  params: Params,
): FakeSender | null {
  if (messageType === 'incoming') return { type: 'contact', id: contactId };
  if (messageType !== 'outgoing') return null;
  if (readString(params.sender_type) === 'AgentBot') {
    const bot = findAgentBot(state, readInteger(params.sender_id));
    if (bot !== undefined) return { type: 'agent_bot', id: bot.id };
  }
  return owner.kind === 'user'
    ? { type: 'user', id: owner.user.id }
    : { type: 'agent_bot', id: owner.bot.id };
}

/** The message a create request describes, or the 422 text for a message_type Rails refuses. */
export function messageFromParams(
  state: FakeState,
  conversation: Pick<FakeConversation, 'contactId'>,
  owner: FakeTokenOwner,
  params: Params,
  files: UploadedFile[],
): NewMessage | { error: string } {
  const requestedType = readString(params.message_type) ?? 'outgoing';
  const messageType = messageTypes.find(
    (type) => type === requestedType || String(messageTypes.indexOf(type)) === requestedType,
  );
  if (messageType === undefined) return { error: `'${requestedType}' is not a valid message_type` };
  const contentAttributes = readRecord(params.content_attributes) ?? {};
  const externalCreatedAt = readString(params.external_created_at);
  return {
    messageType,
    content: readString(params.content) ?? null,
    contentType: readString(params.content_type) ?? 'text',
    // `external_created_at` is kept in content_attributes; created_at stays the insert time.
    contentAttributes:
      externalCreatedAt === undefined
        ? contentAttributes
        : { ...contentAttributes, external_created_at: externalCreatedAt },
    private: readBoolean(params.private) ?? false,
    sourceId: readString(params.source_id) ?? null,
    echoId: readString(params.echo_id) ?? null,
    sender: senderFor(state, conversation.contactId, owner, messageType, params),
    files,
  };
}

import { randomUUID } from 'node:crypto';
import type { FakeActor } from './fake-actor.js';
import type { FakeContext } from './fake-context.js';
import { notifyAssignee, runAutoAssignment, withTeamRules } from './fake-conversation-updates.js';
import type {
  FakeContact,
  FakeContactInbox,
  FakeConversation,
  FakeConversationStatus,
} from './fake-records.js';
import { inboxHasActiveBot, takeId } from './fake-state.js';
import { conversationEventPayload } from './fake-webhook-payloads.js';

export interface NewConversation {
  contact: FakeContact;
  contactInbox: FakeContactInbox;
  status: FakeConversationStatus;
  snoozedUntil: Date | null;
  assigneeId: number | null;
  teamId: number | null;
  customAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
}

/**
 * `ConversationBuilder` (notes §1.3): with `lock_to_single_conversation` the contact_inbox's last
 * conversation comes back, even a resolved one, and nothing happens. Otherwise a blocked contact's
 * conversation starts resolved; the team rules apply to the given assignee; conversation_created
 * goes out; a conversation created open notifies the inbox members and is auto-assigned (notes §7.4).
 */
export function createConversation(
  context: FakeContext,
  input: NewConversation,
  actor: FakeActor,
): { conversation: FakeConversation; created: boolean } {
  const { state } = context;
  if (state.inbox.lockToSingleConversation) {
    const existing = state.conversations.findLast(
      (conversation) => conversation.contactInboxId === input.contactInbox.id,
    );
    if (existing !== undefined) return { conversation: existing, created: false };
  }
  const now = context.now();
  // A blocked contact's conversation starts resolved; an inbox with an active bot starts them pending.
  const status = input.contact.blocked ? 'resolved' : inboxHasActiveBot(state) ? 'pending' : input.status;
  const { assigneeId = input.assigneeId } = withTeamRules(
    context,
    { teamId: null, assigneeId: input.assigneeId },
    { teamId: input.teamId },
  );
  const conversation: FakeConversation = {
    displayId: takeId(state, 'conversation'),
    uuid: randomUUID(),
    accountId: state.account.id,
    inboxId: state.inbox.id,
    contactId: input.contact.id,
    contactInboxId: input.contactInbox.id,
    status,
    snoozedUntil: status === 'snoozed' ? input.snoozedUntil : null,
    assigneeId,
    assigneeAgentBotId: null,
    teamId: input.teamId,
    priority: null,
    customAttributes: input.customAttributes,
    additionalAttributes: input.additionalAttributes,
    labels: [],
    messages: [],
    firstReplyCreatedAt: null,
    waitingSince: now,
    lastActivityAt: now,
    createdAt: now,
    updatedAt: now,
  };
  state.conversations.push(conversation);
  context.webhooks.emit(conversationEventPayload(state, conversation, 'conversation_created'));
  if (conversation.status === 'open') {
    for (const userId of state.inbox.memberIds) {
      state.notifications.push({
        userId,
        conversationId: conversation.displayId,
        kind: 'conversation_creation',
      });
    }
  }
  notifyAssignee(context, conversation, actor);
  runAutoAssignment(context, conversation);
  return { conversation, created: true };
}

import { randomUUID } from 'node:crypto';
import type { FakeActor } from './fake-actor.js';
import { pickAssignee } from './fake-auto-assignment.js';
import type { FakeContext } from './fake-context.js';
import { emitConversationEvent, notifyAssignee, withTeamRules } from './fake-conversation-updates.js';
import type {
  FakeContact,
  FakeContactInbox,
  FakeConversation,
  FakeConversationStatus,
} from './fake-records.js';
import { findTeam, inboxHasActiveBot, isInboxMember, takeId } from './fake-state.js';

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
 * `ConversationBuilder` (`app/builders/conversation_builder.rb`): with
 * `lock_to_single_conversation` the contact_inbox's last conversation comes back, even a resolved
 * one, and nothing happens. Otherwise `determine_conversation_status` (a blocked contact's starts
 * resolved, an inbox with an active bot starts pending, whatever was asked), the team rules on the
 * given assignee, and auto-assignment inside the create when it starts open (`after_save`); the
 * commit is a create, so only `conversation_created` goes out (built when its job runs, so it shows
 * the assignee). A conversation created other than pending notifies the inbox members.
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
  // `run_auto_assignment` (`conversation_status_changed_to_open?` is true for a new open conversation).
  const team = findTeam(state, conversation.teamId);
  if (
    conversation.status === 'open' &&
    state.inbox.enableAutoAssignment &&
    !isInboxMember(state, conversation.assigneeId) &&
    (team === undefined || team.allowAutoAssign)
  ) {
    const picked = pickAssignee(state, { teamId: conversation.teamId });
    if (picked !== undefined) conversation.assigneeId = picked.id;
  }
  state.conversations.push(conversation);
  emitConversationEvent(context, conversation, 'conversation_created');
  // `NotificationListener#conversation_created`: every inbox member, unless the bot holds it (pending).
  if (conversation.status !== 'pending') {
    for (const userId of state.inbox.memberIds) {
      state.notifications.push({
        userId,
        conversationId: conversation.displayId,
        kind: 'conversation_creation',
      });
    }
  }
  notifyAssignee(context, conversation, actor);
  return { conversation, created: true };
}

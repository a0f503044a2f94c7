import { actorName, actorUserId, type FakeActor, systemActor } from './fake-actor.js';
import { pickAssignee } from './fake-auto-assignment.js';
import type { FakeContext } from './fake-context.js';
import { addActivityMessage } from './fake-message-store.js';
import type { FakeConversation, FakeConversationStatus } from './fake-records.js';
import { findAgentBot, findTeam, findUser, isInboxMember } from './fake-state.js';
import { isoTime } from './fake-time.js';
import { type ChangedAttributes, conversationEventPayload } from './fake-webhook-payloads.js';

/** Columns of a conversation a request can change. */
export interface ConversationChanges {
  status?: FakeConversationStatus;
  snoozedUntil?: Date | null;
  assigneeId?: number | null;
  assigneeAgentBotId?: number | null;
  teamId?: number | null;
  priority?: string | null;
  customAttributes?: Record<string, unknown>;
  labels?: string[];
}

type ChangeKey = keyof ConversationChanges;

/** The DB column each change is reported under in `changed_attributes`. */
const columnNames: Record<ChangeKey, string> = {
  status: 'status',
  snoozedUntil: 'snoozed_until',
  assigneeId: 'assignee_id',
  assigneeAgentBotId: 'assignee_agent_bot_id',
  teamId: 'team_id',
  priority: 'priority',
  customAttributes: 'custom_attributes',
  labels: 'label_list',
};

const serialize = (value: unknown): unknown => (value instanceof Date ? isoTime(value) : value);
const sameValue = (left: unknown, right: unknown): boolean =>
  JSON.stringify(serialize(left) ?? null) === JSON.stringify(serialize(right) ?? null);

/**
 * Team rules that run before the save (`ensure_assignee_is_from_team`, notes §1.3, §7.3): a new
 * team drops an assignee who is not its member and, when the team allows auto-assignment, picks
 * an online team member who is also an inbox member.
 */
export function withTeamRules(
  context: FakeContext,
  conversation: Pick<FakeConversation, 'teamId' | 'assigneeId'>,
  changes: ConversationChanges,
): ConversationChanges {
  if (changes.teamId === undefined || changes.teamId === conversation.teamId) return changes;
  const team = findTeam(context.state, changes.teamId);
  const requested = changes.assigneeId === undefined ? conversation.assigneeId : changes.assigneeId;
  let assigneeId = requested;
  if (team !== undefined && assigneeId !== null && !team.memberIds.includes(assigneeId)) assigneeId = null;
  if (team?.allowAutoAssign === true && assigneeId === null) {
    assigneeId = pickAssignee(context.state, { teamId: team.id })?.id ?? null;
  }
  return assigneeId === requested ? changes : { ...changes, assigneeId };
}

function statusActivity(status: FakeConversationStatus, actor: FakeActor): string {
  const name = actorName(actor);
  switch (status) {
    case 'open':
      return actor.kind === 'system'
        ? 'System reopened the conversation due to a new incoming message.'
        : `Conversation was reopened by ${name}`;
    case 'resolved':
      return `Conversation was marked resolved by ${name}`;
    case 'pending':
      return `Conversation was marked as pending by ${name}`;
    case 'snoozed':
      return `Conversation was snoozed by ${name}`;
  }
}

/** What a save compares against to tell what changed. */
type Snapshot = Pick<
  FakeConversation,
  'status' | 'teamId' | 'assigneeId' | 'assigneeAgentBotId' | 'updatedAt'
>;

function recordActivity(
  context: FakeContext,
  conversation: FakeConversation,
  previous: Snapshot,
  actor: FakeActor,
): void {
  const name = actorName(actor);
  if (previous.status !== conversation.status) {
    addActivityMessage(context, conversation, statusActivity(conversation.status, actor));
  }
  if (previous.teamId !== conversation.teamId) {
    const team = findTeam(context.state, conversation.teamId);
    const before = findTeam(context.state, previous.teamId);
    if (team !== undefined)
      addActivityMessage(context, conversation, `Assigned to ${team.name} team by ${name}`);
    else if (before !== undefined)
      addActivityMessage(context, conversation, `Unassigned from ${before.name} by ${name}`);
  }
  if (
    previous.assigneeId !== conversation.assigneeId ||
    previous.assigneeAgentBotId !== conversation.assigneeAgentBotId
  ) {
    const assignee =
      findUser(context.state, conversation.assigneeId)?.name ??
      findAgentBot(context.state, conversation.assigneeAgentBotId)?.name;
    if (assignee === undefined)
      addActivityMessage(context, conversation, `Conversation unassigned by ${name}`);
    else if (conversation.assigneeId !== null && conversation.assigneeId === actorUserId(actor))
      addActivityMessage(context, conversation, `${name} self-assigned this conversation`);
    else addActivityMessage(context, conversation, `Assigned to ${assignee} by ${name}`);
  }
}

const hasValidAssignee = (context: FakeContext, conversation: FakeConversation): boolean =>
  conversation.assigneeAgentBotId !== null || isInboxMember(context.state, conversation.assigneeId);

/**
 * After a conversation became open (created open, toggled, reopened by a message): with inbox
 * auto-assignment on and no valid assignee, round-robin assigns an online member (of the team,
 * when it has one). Notes §7.4.
 */
export function runAutoAssignment(context: FakeContext, conversation: FakeConversation): void {
  if (conversation.status !== 'open' || !context.state.inbox.enableAutoAssignment) return;
  if (hasValidAssignee(context, conversation)) return;
  const picked = pickAssignee(context.state, { teamId: conversation.teamId });
  if (picked !== undefined) updateConversation(context, conversation, { assigneeId: picked.id }, systemActor);
}

/**
 * Records that someone else handed the conversation to this user: Chatwoot notifies any assignee
 * change to a user unless they assigned themselves (`Conversation#notifiable_assignee_change?`),
 * whatever the status.
 */
export function notifyAssignee(context: FakeContext, conversation: FakeConversation, actor: FakeActor): void {
  const userId = conversation.assigneeId;
  if (userId === null || userId === actorUserId(actor)) return;
  context.state.notifications.push({ userId, conversationId: conversation.displayId, kind: 'assigned' });
}

/**
 * One save of a conversation, as Chatwoot's model callbacks see it: team rules before, then one
 * conversation_updated webhook with a `changed_attributes` entry per changed column (preceded by
 * conversation_status_changed when the status changed; notes §3.1), activity lines,
 * notifications, and auto-assignment after. Returns false when nothing changed (no webhook).
 */
export function updateConversation(
  context: FakeContext,
  conversation: FakeConversation,
  requested: ConversationChanges,
  actor: FakeActor,
): boolean {
  let changes = withTeamRules(context, conversation, requested);
  if (changes.status !== undefined && changes.status !== 'snoozed' && changes.snoozedUntil === undefined) {
    changes = { ...changes, snoozedUntil: null };
  }
  if (changes.assigneeId !== undefined && changes.assigneeId !== null) {
    changes = { ...changes, assigneeAgentBotId: null };
  }
  const previous: Snapshot = {
    status: conversation.status,
    teamId: conversation.teamId,
    assigneeId: conversation.assigneeId,
    assigneeAgentBotId: conversation.assigneeAgentBotId,
    updatedAt: conversation.updatedAt,
  };
  const changed: ChangedAttributes = [];
  for (const key of Object.keys(columnNames) as ChangeKey[]) {
    const value = changes[key];
    if (value === undefined || sameValue(conversation[key], value)) continue;
    changed.push({
      [columnNames[key]]: { previous_value: serialize(conversation[key]), current_value: serialize(value) },
    });
    Object.assign(conversation, { [key]: value });
  }
  if (changed.length === 0) return false;
  conversation.updatedAt = context.now();
  changed.push({
    updated_at: {
      previous_value: isoTime(previous.updatedAt),
      current_value: isoTime(conversation.updatedAt),
    },
  });

  const statusChanged = previous.status !== conversation.status;
  if (statusChanged) {
    context.webhooks.emit(
      conversationEventPayload(context.state, conversation, 'conversation_status_changed'),
    );
  }
  context.webhooks.emit(
    conversationEventPayload(context.state, conversation, 'conversation_updated', changed),
  );
  recordActivity(context, conversation, previous, actor);
  if (previous.assigneeId !== conversation.assigneeId) notifyAssignee(context, conversation, actor);
  if (statusChanged && conversation.status === 'open') runAutoAssignment(context, conversation);
  return true;
}

import { actorName, actorUserId, type FakeActor } from './fake-actor.js';
import { pickAssignee } from './fake-auto-assignment.js';
import type { FakeContext } from './fake-context.js';
import { addActivityMessage } from './fake-message-store.js';
import type { FakeConversation, FakeConversationStatus } from './fake-records.js';
import { findTeam, findUser, isInboxMember } from './fake-state.js';
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
  waitingSince?: Date | null;
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
  waitingSince: 'waiting_since',
};

/**
 * Columns whose change sends `conversation_updated` (`Conversation#list_of_keys`,
 * `app/models/conversation.rb`): every column above.
 */
const updatedEventColumns: ReadonlySet<string> = new Set(Object.values(columnNames));

const serialize = (value: unknown): unknown => (value instanceof Date ? isoTime(value) : value);
const sameValue = (left: unknown, right: unknown): boolean =>
  JSON.stringify(serialize(left) ?? null) === JSON.stringify(serialize(right) ?? null);

/** Sends a conversation event whose body is built when its job runs (`EventDispatcherJob`). */
export function emitConversationEvent(
  context: FakeContext,
  conversation: FakeConversation,
  event: 'conversation_created' | 'conversation_status_changed' | 'conversation_updated',
  changed?: ChangedAttributes,
): void {
  context.webhooks.emit({
    build: () =>
      context.state.conversations.includes(conversation)
        ? conversationEventPayload(context.state, conversation, event, changed)
        : undefined,
  });
}

/**
 * Team rules that run before the save (`ensure_assignee_is_from_team`,
 * `app/models/concerns/assignment_handler.rb`): a new team drops an assignee who is not its
 * member and, when the team allows auto-assignment, picks an online team member who is also an
 * inbox member.
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

/**
 * The status activity line (`ActivityMessageHandler#status_change_activity`): it names
 * `Current.user` (the token owner, user or bot); without one (a job), there is none.
 */
function statusActivity(status: FakeConversationStatus, actor: FakeActor): string | undefined {
  if (actor.kind === 'system') return undefined;
  const name = actorName(actor);
  switch (status) {
    case 'open':
      return `Conversation was reopened by ${name}`;
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

/**
 * The assignment activity (`AssignmentHandler#process_assignment_activities`): a team change
 * (with the assignee it brought, `assigned_with_assignee`), else an assignee change. It names the
 * token owner; without one, nothing is written.
 */
function assignmentActivity(
  context: FakeContext,
  conversation: FakeConversation,
  previous: Snapshot,
  actor: FakeActor,
): void {
  if (actor.kind === 'system') return;
  const name = actorName(actor);
  if (previous.teamId !== conversation.teamId) {
    const team = findTeam(context.state, conversation.teamId);
    const before = findTeam(context.state, previous.teamId);
    const assignee = findUser(context.state, conversation.assigneeId);
    if (team !== undefined && previous.assigneeId !== conversation.assigneeId && assignee !== undefined)
      addActivityMessage(context, conversation, `Assigned to ${assignee.name} via ${team.name} by ${name}`);
    else if (team !== undefined)
      addActivityMessage(context, conversation, `Assigned to ${team.name} by ${name}`);
    else addActivityMessage(context, conversation, `Unassigned from ${before?.name ?? ''} by ${name}`);
    return;
  }
  if (
    previous.assigneeId !== conversation.assigneeId ||
    previous.assigneeAgentBotId !== conversation.assigneeAgentBotId
  ) {
    const assignee = findUser(context.state, conversation.assigneeId);
    if (conversation.assigneeId === null)
      addActivityMessage(context, conversation, `Conversation unassigned by ${name}`);
    else if (conversation.assigneeId === actorUserId(actor))
      addActivityMessage(context, conversation, `${name} self-assigned this conversation`);
    else addActivityMessage(context, conversation, `Assigned to ${assignee?.name ?? ''} by ${name}`);
  }
}

const hasValidAssignee = (context: FakeContext, conversation: FakeConversation): boolean =>
  conversation.assigneeAgentBotId !== null || isInboxMember(context.state, conversation.assigneeId);

/**
 * `AutoAssignmentHandler#run_auto_assignment` (legacy assignment): after a save that opened the
 * conversation, with inbox auto-assignment on and no valid assignee, round-robin picks an online
 * inbox member (of the team, when it has one and the team allows auto-assignment).
 */
function autoAssignee(context: FakeContext, conversation: FakeConversation): number | undefined {
  if (conversation.status !== 'open' || !context.state.inbox.enableAutoAssignment) return undefined;
  if (hasValidAssignee(context, conversation)) return undefined;
  const team = findTeam(context.state, conversation.teamId);
  if (team !== undefined && !team.allowAutoAssign) return undefined;
  return pickAssignee(context.state, { teamId: conversation.teamId })?.id;
}

/**
 * Tells the new assignee (`NotificationListener#assignee_changed`): not a self-assignment, and not
 * while the conversation is pending (the bot's).
 */
export function notifyAssignee(context: FakeContext, conversation: FakeConversation, actor: FakeActor): void {
  const userId = conversation.assigneeId;
  if (userId === null || userId === actorUserId(actor) || conversation.status === 'pending') return;
  context.state.notifications.push({ userId, conversationId: conversation.displayId, kind: 'assigned' });
}

export interface SaveOptions {
  /** The status activity instead of the usual one (null: none). */
  statusActivity?: string | null;
}

/** Writes the changes into the record; answers `changed_attributes` (empty when nothing changed). */
function applyChanges(
  context: FakeContext,
  conversation: FakeConversation,
  changes: ConversationChanges,
): ChangedAttributes {
  const changed: ChangedAttributes = [];
  for (const key of Object.keys(columnNames) as ChangeKey[]) {
    const value = changes[key];
    if (value === undefined || sameValue(conversation[key], value)) continue;
    changed.push({
      [columnNames[key]]: { previous_value: serialize(conversation[key]), current_value: serialize(value) },
    });
    Object.assign(conversation, { [key]: value });
  }
  if (changed.length === 0) return changed;
  const before = conversation.updatedAt;
  conversation.updatedAt = context.now();
  changed.push({
    updated_at: { previous_value: isoTime(before), current_value: isoTime(conversation.updatedAt) },
  });
  return changed;
}

/**
 * One save of a conversation, as Chatwoot's model callbacks see it (`app/models/conversation.rb`):
 * team rules before the save; auto-assignment inside it (`after_save`), which saves the record a
 * second time, so the commit callbacks see only that last save (Chatwoot #9277: an auto-assigned
 * reopen sends one `conversation_updated` for the assignee, no status event and no status line).
 * Then, after the commit: the status events, the activity lines, `conversation_updated` when a
 * listed column changed, and the assignee's notification. Returns false when nothing changed.
 */
export function updateConversation(
  context: FakeContext,
  conversation: FakeConversation,
  requested: ConversationChanges,
  actor: FakeActor,
  options: SaveOptions = {},
): boolean {
  let changes = withTeamRules(context, conversation, requested);
  if (changes.status !== undefined && changes.status !== 'snoozed' && changes.snoozedUntil === undefined) {
    changes = { ...changes, snoozedUntil: null };
  }
  // `reset_agent_bot_when_assignee_present`.
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
  let committed = applyChanges(context, conversation, changes);
  if (committed.length === 0) return false;
  const openedNow = previous.status !== conversation.status && conversation.status === 'open';
  const picked = openedNow ? autoAssignee(context, conversation) : undefined;
  if (picked !== undefined) {
    committed = applyChanges(context, conversation, { assigneeId: picked, assigneeAgentBotId: null });
  }
  const columns = new Set(committed.flatMap((entry) => Object.keys(entry)));
  const statusCommitted = columns.has('status');
  // `handle_resolved_status_change` clears waiting_since without callbacks.
  if (statusCommitted && conversation.status === 'resolved') conversation.waitingSince = null;
  if (statusCommitted) {
    emitConversationEvent(context, conversation, 'conversation_status_changed');
    const line =
      options.statusActivity === undefined
        ? statusActivity(conversation.status, actor)
        : options.statusActivity;
    if (line !== undefined && line !== null) addActivityMessage(context, conversation, line);
  }
  if ([...columns].some((column) => updatedEventColumns.has(column))) {
    emitConversationEvent(context, conversation, 'conversation_updated', committed);
  }
  const snapshotForActivity: Snapshot =
    picked === undefined ? previous : { ...previous, teamId: conversation.teamId };
  if (columns.has('team_id') || columns.has('assignee_id') || columns.has('assignee_agent_bot_id'))
    assignmentActivity(context, conversation, snapshotForActivity, actor);
  if (previous.assigneeId !== conversation.assigneeId) notifyAssignee(context, conversation, actor);
  return true;
}

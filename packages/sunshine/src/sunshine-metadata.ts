import { createHash } from 'node:crypto';

/**
 * The metadata keys the adapters write on Sunshine Conversations records, so retries and echoes
 * are recognised from the records themselves (a restarted instance remembers nothing).
 */
export const metadataKeys = {
  /** On a conversation: the handoff that opened it (recover finds it by this). */
  handoffId: 'handoff_id',
  handoffSessionId: 'handoff_session_id',
  /** On a conversation: the Sunshine user it was opened for (user turns are posted as them). */
  handoffUserId: 'handoff_user_id',
  /** On a message: our transcript message id. */
  messageId: 'handoff_message_id',
  /** On a message: the key of a note we left (transfer, close). */
  noteId: 'handoff_note_id',
  /** On a releaseControl: who released it (its webhook comes back to us). */
  closedBy: 'handoff_closed_by',
  /** On our own passControl (its webhook comes back to us): who passed it. */
  passedBy: 'handoff_passed_by',
  /** On a passControl: the group the conversation is routed to. */
  groupId: 'handoff_group_id',
} as const;

/**
 * Metadata the Agent Workspace reads on `passControl` (Zendesk: "Switchboard integration for
 * Zendesk", metadata accepted by the Agent Workspace): ticket tags, and the first message the
 * ticket's transcript starts with (by default only the latest messages are shown).
 */
export const agentWorkspaceMetadata = {
  tags: 'dataCapture.systemField.tags',
  firstMessageId: 'first_message_id',
} as const;

/** The Agent Workspace's switchboard integration, by its `integrationType` (passControl takes it). */
export const agentWorkspaceIntegrationType = 'zd:agentWorkspace';

/** Every key we write on messages: a message carrying one of them is ours (an echo). */
export const ownMessageKeys = [metadataKeys.messageId, metadataKeys.noteId] as const;

/** A short stable key of a note's text in a conversation (a retried transfer finds its note). */
export const noteKeyOf = (kind: 'transfer' | 'close', conversationId: string, note: string) =>
  `${kind}:${createHash('sha256').update(`${conversationId}\n${note}`).digest('hex').slice(0, 24)}`;

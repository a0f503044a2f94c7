import type { Team } from '@handoff/core';
import { type ConversationActions, isAgentWorkspace, ownKeyOf } from './sunshine-conversation-actions.js';
import {
  agentWorkspaceIntegrationType,
  agentWorkspaceMetadata,
  metadataKeys,
  noteKeyOf,
} from './sunshine-metadata.js';
import type { SunshineMessage } from './sunshine-responses.js';
import type { GroupDirectory } from './zendesk-groups.js';

export interface TransferToAgentsSettings {
  actions: ConversationActions;
  groups: GroupDirectory;
  routingTagPrefix: string;
  /** The display name of the note's author (a business message). */
  noteAuthor: string;
  wasPosted: (conversationId: string, key: string) => boolean;
  remember: (conversationId: string, key: string) => void;
}

export interface TransferToAgentsOptions {
  operation: string;
  conversationId: string;
  team: string;
  note: string | undefined;
  labels?: readonly string[] | undefined;
  recover: boolean;
  /**
   * The message the ticket's transcript starts with: `conversation-start` (a conversation opened
   * for this handoff), a message id, or undefined (Zendesk's default: the latest messages).
   */
  firstMessage: 'conversation-start' | string | undefined;
  signal?: AbortSignal | undefined;
}

/** A Zendesk tag: lower case, no spaces (Zendesk splits tags on spaces). */
const asTag = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9_\-:./]+/g, '_')
    .slice(0, 80);

/**
 * Hands a conversation to the Zendesk agents: checks the group, leaves the context note (a silent
 * business message, once: a retry with `recover` finds it by its `handoff_note_id`), then
 * `passControl` to the Agent Workspace, which makes the ticket. The metadata tags the ticket
 * `{routingTagPrefix}{groupId}` (a trigger of the account puts it in that group: Zendesk's
 * metadata has no group field) and names the first message of its transcript.
 */
export function createTransferToAgents(settings: TransferToAgentsSettings) {
  const { actions, groups } = settings;
  return async (options: TransferToAgentsOptions): Promise<Team> => {
    const { operation, conversationId, recover, signal } = options;
    const group = await groups.find(options.team, operation, signal);
    const note = options.note?.trim() === '' ? undefined : options.note;
    const noteId = note === undefined ? undefined : noteKeyOf('transfer', conversationId, note);
    const key = noteId === undefined ? undefined : `${metadataKeys.noteId}:${noteId}`;
    let read: SunshineMessage[] | undefined;
    if (options.firstMessage === 'conversation-start') {
      read = await actions.messages(operation, conversationId, signal);
    } else if (recover && key !== undefined) {
      read = await actions.messages(operation, conversationId, signal, (messages) =>
        messages.some((message) => ownKeyOf(message) === key),
      );
    }
    let noteMessageId: string | undefined;
    if (note !== undefined && noteId !== undefined && key !== undefined) {
      const there =
        settings.wasPosted(conversationId, key) ||
        (recover && (read ?? []).some((message) => ownKeyOf(message) === key));
      if (!there) {
        noteMessageId = await actions.postText(
          operation,
          conversationId,
          {
            author: { type: 'business', displayName: settings.noteAuthor },
            text: note,
            metadata: { [metadataKeys.noteId]: noteId },
            silent: true,
          },
          signal,
        );
        settings.remember(conversationId, key);
      }
    }
    if (recover) {
      const conversation = await actions.getConversation(operation, conversationId, signal);
      // Passed already (the answer of the passControl was lost): the ticket exists.
      if (isAgentWorkspace(conversation.activeSwitchboardIntegration)) return group;
    }
    const firstMessageId =
      options.firstMessage === 'conversation-start' ? (read?.[0]?.id ?? noteMessageId) : options.firstMessage;
    const tags = [`${settings.routingTagPrefix}${group.id}`, ...(options.labels ?? []).map(asTag)];
    await actions.passControl(
      operation,
      conversationId,
      agentWorkspaceIntegrationType,
      {
        [agentWorkspaceMetadata.tags]: [...new Set(tags)].join(' '),
        ...(firstMessageId === undefined ? {} : { [agentWorkspaceMetadata.firstMessageId]: firstMessageId }),
        [metadataKeys.groupId]: group.id,
        [metadataKeys.passedBy]: 'handoff',
      },
      signal,
    );
    return group;
  };
}

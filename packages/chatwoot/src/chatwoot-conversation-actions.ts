import { SupportError } from '@handoff/core';
import type { ChatwootClient } from './chatwoot-client.js';
import {
  conversationLabelsResponseSchema,
  teamAssignmentResponseSchema,
  toggleStatusResponseSchema,
} from './chatwoot-responses.js';

/**
 * Conversation calls both modes make, all on the endpoints an agent bot may call (notes §1.1):
 * assign a team, add labels, change the status.
 */
export function createConversationActions(client: ChatwootClient) {
  return {
    /** `assignments {team_id}` alone: with assignee_id in the same body Chatwoot ignores the team (notes §1.3). */
    async assignTeam(operation: string, conversationId: string, teamId: number, signal?: AbortSignal) {
      const assigned = await client.call({
        operation,
        method: 'POST',
        path: `/conversations/${conversationId}/assignments`,
        json: { team_id: teamId },
        token: 'conversation',
        schema: teamAssignmentResponseSchema,
        signal,
      });
      if (assigned === null) {
        throw new SupportError({
          code: 'not_found',
          message: `Chatwoot has no team ${teamId} (it answered null and cleared the conversation's team)`,
          provider: 'chatwoot',
          operation,
        });
      }
      return { id: String(assigned.id), name: assigned.name };
    },

    /** Adds labels; Chatwoot's POST replaces the whole list, so the current ones are read first. */
    async addLabels(
      operation: string,
      conversationId: string,
      labels: readonly string[],
      signal?: AbortSignal,
    ) {
      const { payload: current } = await client.call({
        operation,
        method: 'GET',
        path: `/conversations/${conversationId}/labels`,
        token: 'conversation',
        schema: conversationLabelsResponseSchema,
        signal,
      });
      if (labels.every((label) => current.includes(label))) return;
      await client.call({
        operation,
        method: 'POST',
        path: `/conversations/${conversationId}/labels`,
        json: { labels: [...new Set([...current, ...labels])] },
        token: 'conversation',
        schema: conversationLabelsResponseSchema,
        signal,
      });
    },

    toggleStatus: (
      operation: string,
      conversationId: string,
      status: 'open' | 'resolved',
      signal?: AbortSignal,
    ) =>
      client.call({
        operation,
        method: 'POST',
        path: `/conversations/${conversationId}/toggle_status`,
        json: { status },
        token: 'conversation',
        schema: toggleStatusResponseSchema,
        signal,
      }),
  };
}

import { SupportError } from '@handoff/core';
import type { ChatwootClient, ChatwootTokenUse } from './chatwoot-client.js';
import {
  conversationLabelsResponseSchema,
  teamAssignmentResponseSchema,
  toggleStatusResponseSchema,
} from './chatwoot-responses.js';

/**
 * Conversation calls both modes make, on the endpoints an agent bot may call
 * (`BOT_ACCESSIBLE_ENDPOINTS`): assign a team, add labels, change the status.
 */
export function createConversationActions(client: ChatwootClient) {
  return {
    /**
     * `assignments {team_id}` alone: with `assignee_id` in the same body Chatwoot ignores the team
     * (`Conversations::AssignmentsController#create`). An unknown team answers `null` (and clears it).
     */
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

    /**
     * Adds labels; Chatwoot's POST replaces the whole list (`LabelConcern`), so the current ones are
     * read first. Bots may call both endpoints from 4.14.2 only; before, pass `token: 'user'`.
     */
    async addLabels(
      operation: string,
      conversationId: string,
      labels: readonly string[],
      signal?: AbortSignal,
      token: ChatwootTokenUse = 'conversation',
    ) {
      const { payload: current } = await client.call({
        operation,
        method: 'GET',
        path: `/conversations/${conversationId}/labels`,
        token,
        schema: conversationLabelsResponseSchema,
        signal,
      });
      if (labels.every((label) => current.includes(label))) return;
      await client.call({
        operation,
        method: 'POST',
        path: `/conversations/${conversationId}/labels`,
        json: { labels: [...new Set([...current, ...labels])] },
        token,
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

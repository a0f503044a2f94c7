import type { FakeHttpResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { readInteger } from './fake-params.js';
import type { FakeConversation } from './fake-records.js';
import type { RouteRequest } from './fake-route.js';
import { findConversation, findTeam, isInboxMember } from './fake-state.js';

/**
 * The conversation a request names by display id: 404 when there is none, 401 when the policy
 * refuses the caller (an agent must be an inbox member or in the conversation's team; `app/policies/conversation_policy.rb`).
 */
export function requestedConversation(
  request: RouteRequest,
  segment = 'conversation_id',
): { conversation: FakeConversation } | { error: FakeHttpResponse } {
  const { state } = request.context;
  const conversation = findConversation(state, readInteger(request.path[segment]));
  if (conversation === undefined) return { error: chatwootErrors.notFound() };
  const { owner } = request;
  if (
    owner.kind === 'user' &&
    owner.user.role !== 'administrator' &&
    !isInboxMember(state, owner.user.id) &&
    !findTeam(state, conversation.teamId)?.memberIds.includes(owner.user.id)
  ) {
    return { error: chatwootErrors.notAuthorized() };
  }
  return { conversation };
}
